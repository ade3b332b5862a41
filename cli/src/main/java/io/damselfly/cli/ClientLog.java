package io.damselfly.cli;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.LocalDateTime;

/**
 * dfget's own log lines, written with the JDK alone: a dfget that hands its download to a running node loads
 * no logging library. Lines go to {@code <dir>/<name>.log} (appended, in the layout of {@code dfget-logback.xml};
 * a file over {@value #ROLL_BYTES} bytes is moved to {@code <name>.log.1} first) and, with {@code --console}, to
 * stderr. A log that cannot be written is given up silently: it never fails a download.
 */
public final class ClientLog {
  static final long ROLL_BYTES = 50L << 20;
  private final Path file;
  private final boolean console;
  private final PrintStream err;
  private OutputStream out;
  private boolean broken;

  public ClientLog(Path dir, String name, boolean console, PrintStream err) {
    this.file = dir.resolve(name + ".log");
    this.console = console;
    this.err = err;
  }

  public void info(Class<?> where, String message) {
    write("INFO ", where, message);
  }

  public void warn(Class<?> where, String message) {
    write("WARN ", where, message);
  }

  private synchronized void write(String level, Class<?> where, String message) {
    LocalDateTime now = LocalDateTime.now();
    String logger = logger(where);
    if (console) {
      err.println(time(new StringBuilder(), now) + " " + level + " " + logger + " - " + message);
    }
    if (broken) {
      return;
    }
    StringBuilder line = date(new StringBuilder(), now).append(' ');
    time(line, now).append(' ').append(level).append(" [").append(Thread.currentThread().getName()).append("] ")
        .append(logger).append(" - ").append(message).append('\n');
    try {
      if (out == null) {
        out = open();
      }
      out.write(line.toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
    } catch (IOException e) {
      broken = true;
    }
  }

  private OutputStream open() throws IOException {
    Files.createDirectories(file.getParent());
    if (Files.isRegularFile(file) && Files.size(file) > ROLL_BYTES) {
      Files.move(file, file.resolveSibling(file.getFileName() + ".1"), StandardCopyOption.REPLACE_EXISTING);
    }
    return new FileOutputStream(file.toFile(), true);
  }

  /** Logback's {@code %logger{20}} for a class of this project: {@code i.d.c.DownloadRunner}. */
  static String logger(Class<?> c) {
    String name = c.getName();
    StringBuilder b = new StringBuilder();
    int start = 0;
    for (int dot = name.indexOf('.'); dot >= 0; dot = name.indexOf('.', start)) {
      b.append(name.charAt(start)).append('.');
      start = dot + 1;
    }
    return b.append(name.substring(start)).toString();
  }

  private static StringBuilder date(StringBuilder b, LocalDateTime t) {
    b.append(t.getYear()).append('-');
    return two(two(b, t.getMonthValue()).append('-'), t.getDayOfMonth());
  }

  private static StringBuilder time(StringBuilder b, LocalDateTime t) {
    two(two(two(b, t.getHour()).append(':'), t.getMinute()).append(':'), t.getSecond()).append(',');
    int ms = t.getNano() / 1_000_000;
    return b.append(ms < 100 ? "0" : "").append(ms < 10 ? "0" : "").append(ms);
  }

  private static StringBuilder two(StringBuilder b, int v) {
    return b.append(v < 10 ? "0" : "").append(v);
  }
}
