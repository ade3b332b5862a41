/** The scheduler: one writer thread owns tasks, peers and piece holders; everything else sends events. */
package io.damselfly.supernode.scheduler;
