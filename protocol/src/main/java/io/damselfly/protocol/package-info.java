/** Damselfly wire protocol v1: routes, error codes, message records and the task identity rule. */
package io.damselfly.protocol;
