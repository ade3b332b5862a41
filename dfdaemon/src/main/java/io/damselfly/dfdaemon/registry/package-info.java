/** Registry mirror: blobs by digest over P2P behind an access check, everything else passed through. */
package io.damselfly.dfdaemon.registry;
