/** bin/demo: one origin, one supernode and N dfget peers on this machine, with a table of who sent what. */
package io.damselfly.e2e.demo;
