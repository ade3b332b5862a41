/** Bad-input testing: hostile request generators, raw HTTP over sockets, and file-tree checks. */
package io.damselfly.testing.fuzz;
