/** Back-to-source: the whole file from its origin, paced like a p2p download. */
package io.damselfly.peer.download.origin;
