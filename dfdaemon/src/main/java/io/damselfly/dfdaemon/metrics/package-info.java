/** Prometheus metrics and readiness of dfdaemon and its embedded peer node. */
package io.damselfly.dfdaemon.metrics;
