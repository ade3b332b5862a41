/** Test kit of the peer module: a cluster of real origin, supernode and peer nodes, and small fakes. */
package io.damselfly.peer.testkit;
