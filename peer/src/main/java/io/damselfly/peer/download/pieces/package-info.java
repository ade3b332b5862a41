/** Fetching one piece from a peer or the CDN into memory and verifying it; who hears about each piece. */
package io.damselfly.peer.download.pieces;
