package io.damselfly.supernode.dashboard;

import io.damselfly.protocol.TaskStatus;
import io.damselfly.supernode.metrics.TaskRecord;
import io.damselfly.supernode.scheduler.SchedulerSnapshot;
import java.util.List;

/**
 * The dashboard's main feed ({@code GET /api/v1/dashboard}).
 *
 * @param now the supernode's clock, epoch milliseconds
 * @param originBytes bytes the CDN received from origins, all tasks
 * @param cdnBytes piece bytes the supernode sent to peers, all tasks
 * @param tasks most recently started first
 */
public record Overview(long now, SchedulerSnapshot scheduler, long originBytes, long cdnBytes, List<TaskRow> tasks) {

  /**
   * One task.
   *
   * @param bytesFromCdn verified bytes peers reported from the CDN over the task's life
   * @param bytesFromPeers verified bytes peers reported from other peers over the task's life
   * @param startedAt when its first peer joined, epoch milliseconds (0 when forgotten)
   * @param samples throughput series, one sample a second while the task is active
   */
  public record TaskRow(String taskId, String url, TaskStatus status, long contentLength, int pieceCount,
      int piecesStored, long originBytes, long cdnBytes, long bytesFromCdn, long bytesFromPeers, int peersNow,
      int peersEver, long startedAt, String error, List<TaskRecord.Sample> samples) {}
}
