/** The piece loop of a p2p download and whom it talks to: supernodes (scheduling, failover), neighbours, the tasks kept serving. */
package io.damselfly.peer.download.session;
