/** The lab's runs: the systems compared (direct, BitTorrent, Damselfly), their processes and outcomes. */
package io.damselfly.benchmarks.lab;
