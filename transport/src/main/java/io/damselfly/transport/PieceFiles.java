package io.damselfly.transport;

import io.damselfly.common.TaskId;
import java.nio.file.Path;
import java.util.Optional;

/** What a piece server serves: for a task, its file and which bytes are verified. */
@FunctionalInterface
public interface PieceFiles {
  Optional<ServedFile> lookup(TaskId taskId);

  /** A task's file as far as it is verified. */
  interface ServedFile {
    Path path();

    /** The file's full length, or -1 while unknown. */
    long totalLength();

    /** True when every byte of {@code [start, start+length)} lies in verified pieces. */
    boolean holds(long start, long length);

    /** Called after a range was handed to the network (for statistics); may be a no-op. */
    default void served(String requesterPeerId, long bytes) {}
  }
}
