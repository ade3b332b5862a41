package io.damselfly.supernode.scheduler;

import io.damselfly.protocol.ScheduleResponse;
import io.damselfly.protocol.Source;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

/** A schedule request waiting (long poll) until work appears or its deadline passes. */
record Parked(TaskPeer peer, int want, Source cdn, Instant deadline, CompletableFuture<ScheduleResponse> answer) {}
