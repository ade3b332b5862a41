/** A small process harness for end-to-end runs: launch jars, wait for their lines, stop them by PID. */
package io.damselfly.e2e;
