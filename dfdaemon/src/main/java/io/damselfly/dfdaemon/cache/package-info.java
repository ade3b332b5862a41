/** The daemon's blob cache on disk: size limit, free-disk watermark, LRU eviction, pinned while read. */
package io.damselfly.dfdaemon.cache;
