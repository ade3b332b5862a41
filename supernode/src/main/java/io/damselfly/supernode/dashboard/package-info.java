/** The live dashboard: static page (classpath resources) and the JSON feed it polls. */
package io.damselfly.supernode.dashboard;
