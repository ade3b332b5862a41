package io.damselfly.peer.download;

import io.damselfly.peer.NodeConfig;
import io.damselfly.peer.store.TaskFiles;
import java.net.http.HttpClient;
import java.time.InstantSource;

/**
 * What every download of a node shares: its settings, HTTP client, task files, host rate cap, the
 * tasks it keeps serving, and the peer id it is known by.
 */
public record NodeContext(
    NodeConfig config,
    HttpClient http,
    Watchdog watchdog,
    TaskFiles files,
    Throttles throttles,
    Serving serving,
    String peerId,
    int uploadPort,
    InstantSource clock) {}
