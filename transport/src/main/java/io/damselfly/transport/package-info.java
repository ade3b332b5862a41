/** The Netty HTTP server every Damselfly deployable serves with (routes, errors, zero-copy files), and the piece client peers fetch ranges with. */
package io.damselfly.transport;
