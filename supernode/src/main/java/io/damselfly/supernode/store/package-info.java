/** Cluster state shared by supernodes: members, task facts and piece holders, in memory or in Redis. */
package io.damselfly.supernode.store;
