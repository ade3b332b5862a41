/** The lab's emulated network: namespaces with capped links (or loopback), and the processes it runs. */
package io.damselfly.benchmarks.net;
