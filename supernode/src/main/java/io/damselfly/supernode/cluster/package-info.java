/** Many supernodes as one: membership, rendezvous ownership of task keys, and takeover of a dead owner's tasks. */
package io.damselfly.supernode.cluster;
