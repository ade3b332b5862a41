/** {@code bin/lab cluster}: three real supernodes on one Redis under simulated peers, one killed under load. */
package io.damselfly.benchmarks.cluster;
