package io.damselfly.protocol;

import java.util.List;

/**
 * What the supernode knows of a task: for operators, the dashboard and tests.
 *
 * @param originBytes body bytes received from the origin for this task
 * @param cdnBytes piece bytes the supernode's piece server sent to peers
 * @param scheduleRequests schedule requests the supernode answered for this task (its load)
 */
public record TaskView(
    String taskId,
    String url,
    TaskStatus status,
    long contentLength,
    int pieceSize,
    int pieceCount,
    int piecesStored,
    String fileDigest,
    long originBytes,
    long cdnBytes,
    String error,
    List<PeerView> peers,
    long scheduleRequests) {

  /**
   * One peer of a task.
   *
   * @param state ACTIVE, ISOLATED or GONE
   * @param bytesFromPeers verified bytes it reported from other peers
   * @param bytesFromCdn verified bytes it reported from the supernode
   */
  public record PeerView(
      String peerId,
      String host,
      int port,
      String state,
      int piecesHave,
      long bytesFromPeers,
      long bytesFromCdn,
      long bytesUploaded,
      int failures) {}
}
