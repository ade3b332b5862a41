/** The node's task files: which pieces of which task this host holds verified, served to other peers. */
package io.damselfly.peer.store;
