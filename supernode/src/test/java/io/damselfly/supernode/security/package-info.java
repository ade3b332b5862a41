/** Tests of the supernode against bad input, slow clients and callers without access. */
package io.damselfly.supernode.security;
