/** HTTP routes of the supernode's peer API and piece port. */
package io.damselfly.supernode.api;
