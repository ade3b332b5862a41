package io.damselfly.protocol;

/** dfget's exit codes, documented in docs/CLI.md. The node reports them in {@link ProgressEvent#exitCode()}. */
public enum DfgetExit {
  OK(0, "the file was downloaded and verified"),
  FAILED(1, "the download failed for a reason not listed below"),
  USAGE(2, "bad command line: unknown flag or invalid value"),
  DIGEST_MISMATCH(3, "the file's digest did not match --md5 or --digest"),
  NO_SUPERNODE(4, "no supernode could be reached and back-to-source was not allowed (--notbs)"),
  ORIGIN_ERROR(5, "the origin answered with an error (such as 404) or broke off"),
  TIMEOUT(6, "the download did not finish within --timeout"),
  OUTPUT_ERROR(7, "the output path cannot be written (missing directory, no permission, disk full)"),
  NO_VERIFIED_SOURCE(8, "no source gave a copy of a piece that passed its digest check (a damaged copy that "
      + "could not be repaired)"),
  INTERRUPTED(130, "interrupted (Ctrl-C)");

  private final int code;
  private final String meaning;

  DfgetExit(int code, String meaning) {
    this.code = code;
    this.meaning = meaning;
  }

  public int code() {
    return code;
  }

  public String meaning() {
    return meaning;
  }
}
