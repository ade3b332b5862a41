/** The supernode deployable: wiring, configuration and command line. */
package io.damselfly.supernode;
