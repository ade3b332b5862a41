/** Preheat: warm the CDN with a file or an image's blobs before pulls; Harbor's Dragonfly 1 and 2 contracts. */
package io.damselfly.supernode.preheat;
