/** The reliability report: fault-test outcomes recorded as JSON lines and summed up in Markdown. */
package io.damselfly.e2e.faults;
