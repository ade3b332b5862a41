/** The output file (temp file, room, commit or discard) and the whole-file digests that verify it. */
package io.damselfly.peer.download.output;
