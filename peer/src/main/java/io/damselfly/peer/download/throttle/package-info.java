/** Rate caps of downloads: per download and for the whole host. */
package io.damselfly.peer.download.throttle;
