/** One download from request to verified output: supernode scheduling, piece fetches, back-to-source. */
package io.damselfly.peer.download;
