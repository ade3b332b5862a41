/** A host's peer node: runs downloads for dfget (and dfdaemon) and uploads verified pieces to other peers. */
package io.damselfly.peer;
