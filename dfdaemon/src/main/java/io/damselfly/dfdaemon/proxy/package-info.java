/** HTTP proxy: URL rules for P2P or pass-through, CONNECT tunnels, and HTTPS interception with a local CA. */
package io.damselfly.dfdaemon.proxy;
