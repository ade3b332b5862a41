/** Real servers and data for Damselfly's tests and demo: an HTTP origin with counters and faults. */
package io.damselfly.testing;
