/** The node's loopback-only local API through which dfget hands it downloads. */
package io.damselfly.peer.local;
