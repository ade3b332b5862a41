/** dfdaemon: a host's long-running peer, registry mirror and HTTP proxy whose downloads go over P2P. */
package io.damselfly.dfdaemon;
