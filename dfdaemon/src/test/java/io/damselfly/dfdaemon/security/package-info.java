/** Tests of dfdaemon's port (mirror, proxy, local API) against bad input. */
package io.damselfly.dfdaemon.security;
