/** The Netty HTTP server every Damselfly deployable serves with: routes, errors, zero-copy files. */
package io.damselfly.transport;
