/** The distribution lab and micro benchmarks: the {@code bin/lab} command line. */
package io.damselfly.benchmarks;
