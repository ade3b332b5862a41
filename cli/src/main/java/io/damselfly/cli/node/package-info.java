/** How dfget finds, spawns or embeds its host's peer node and talks to its local API. */
package io.damselfly.cli.node;
