/** Prometheus metrics, readiness and per-task summaries of the supernode. */
package io.damselfly.supernode.metrics;
