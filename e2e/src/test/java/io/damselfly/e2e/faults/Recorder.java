package io.damselfly.e2e.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/** Records a test class's outcomes into the reliability report and rewrites REPORT.md after each. */
final class Recorder {
  private final String testClass;

  /** Starts {@code testClass}'s lines afresh. */
  Recorder(Class<?> testClass) {
    this.testClass = testClass.getSimpleName();
    try {
      ReliabilityReport.reset(ReliabilityReport.DIR, this.testClass);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void record(String test, String fault, String outcome, boolean survived, long bytesLost, long wrongBytes,
      int partialOutputs, int crashes, int badInputs, Map<String, Object> figures) throws IOException {
    ReliabilityReport.record(ReliabilityReport.DIR, testClass, new FaultOutcome(testClass + "." + test, fault, outcome,
        survived, bytesLost, wrongBytes, partialOutputs, crashes, badInputs, figures));
    ReliabilityReport.write(ReliabilityReport.DIR);
  }
}
