/** Statistics, the fluid lower bound and the lab's CSV, markdown and PNG outputs. */
package io.damselfly.benchmarks.report;
