package io.damselfly.e2e.faults;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one fault test saw, one JSON line of the reliability report.
 *
 * @param test the test class and method
 * @param fault the fault injected, in words
 * @param outcome what the system did, in words
 * @param survived true when every promise held (correct files, clear errors, nothing corrupt kept)
 * @param bytesLost bytes transferred again because of the fault (re-fetched from the origin or other peers)
 * @param wrongBytes bytes of delivered outputs that differ from the origin's file (the target is 0)
 * @param partialOutputs files left at output paths that are not the complete, verified file (the target is 0)
 * @param crashes server processes (supernodes, peer nodes) that died without being killed by the test
 * @param badInputs bad inputs tried (wrong pieces served, broken bodies, error statuses)
 * @param figures further numbers, such as origin bytes or pieces reused
 */
public record FaultOutcome(
    String test,
    String fault,
    String outcome,
    boolean survived,
    long bytesLost,
    long wrongBytes,
    int partialOutputs,
    int crashes,
    int badInputs,
    Map<String, Object> figures) {

  public FaultOutcome {
    if (test == null || fault == null || outcome == null) {
      throw new IllegalArgumentException("test, fault and outcome must be given");
    }
    if (bytesLost < 0 || wrongBytes < 0 || partialOutputs < 0 || crashes < 0 || badInputs < 0) {
      throw new IllegalArgumentException("counts must be >= 0, got bytes lost " + bytesLost + ", wrong bytes "
          + wrongBytes + ", partial outputs " + partialOutputs + ", crashes " + crashes + ", bad inputs " + badInputs);
    }
    figures = figures == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(figures));
  }
}
