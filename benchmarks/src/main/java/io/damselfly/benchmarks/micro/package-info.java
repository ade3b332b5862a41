/** Micro benchmarks: one peer against curl, and the scheduler under many simulated peers. */
package io.damselfly.benchmarks.micro;
