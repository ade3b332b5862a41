/** Tests of the peer node against bad input and callers without access. */
package io.damselfly.peer.security;
