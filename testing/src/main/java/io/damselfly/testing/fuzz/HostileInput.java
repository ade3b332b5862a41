package io.damselfly.testing.fuzz;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * jqwik generators of hostile request parts: path segments that try to climb out of a data directory,
 * malformed or ill-typed JSON, broken ranges and digests. Segments are raw: put them into a request
 * target as they are (they may be percent-encoded already, or not valid in a URL at all).
 */
public final class HostileInput {
  /** Path segments aimed at files outside a server's data directory, in plain and encoded forms. */
  public static final List<String> TRAVERSALS = List.of(
      "..", "../", "..%2f", "..%2F", "%2e%2e", "%2e%2e%2f", "%2E%2E%2F", "..%5c", "..\\", "%252e%252e%252f",
      "..%2f..%2f..%2fcanary.txt", "%2e%2e%2f%2e%2e%2fcanary.txt", "..%252f..%252fcanary.txt",
      "%2fetc%2fpasswd", "/etc/passwd", "%2F", "canary.txt", "..%00", "%00", "a%00b", "%c0%ae%c0%ae%c0%af",
      "%", "%zz", "%e2%80%ae", ".", "...", "....//", "~", "%7e", "file:%2f%2f%2fetc%2fpasswd");

  private HostileInput() {}

  /** A value for a {@code {taskId}} or {@code {peerId}} path segment. */
  public static Arbitrary<String> segments() {
    Arbitrary<String> fixed = Arbitraries.of(TRAVERSALS);
    Arbitrary<String> encoded = Arbitraries.strings().all().ofMinLength(1).ofMaxLength(40)
        .map(s -> URLEncoder.encode(s, StandardCharsets.UTF_8));
    Arbitrary<String> lookalike = Arbitraries.strings().withChars("abcdef0123456789-").ofMinLength(1).ofMaxLength(120);
    Arbitrary<String> huge = Arbitraries.integers().between(200, 9000).map("a"::repeat);
    Arbitrary<String> climb = Arbitraries.integers().between(1, 12).map(n -> "..%2f".repeat(n) + "canary.txt");
    return Arbitraries.frequencyOf(
        Tuple.of(4, fixed), Tuple.of(2, encoded), Tuple.of(2, lookalike),
        Tuple.of(1, huge), Tuple.of(2, climb));
  }

  /** A JSON value of any shape and type, many of them wrong where a server expects something else. */
  public static Arbitrary<String> jsonValues() {
    Arbitrary<String> numbers = Arbitraries.of("-1", "0", "-2147483649", "2147483648", "9223372036854775808",
        "-9223372036854775809", "1e400", "-1e400", "1.5", "NaN", "0x10", "00", "1e-400", "99999999999999999999999");
    Arbitrary<String> strings = Arbitraries.oneOf(Arbitraries.of(TRAVERSALS), Arbitraries.strings().all().ofMaxLength(30),
        Arbitraries.of("", " ", "file:///etc/passwd", "http://", "http://127.0.0.1:1/x", "ftp://a/b",
            "http://[::1", "sha256:zz", "md5:", "\u0000", "cdn"))
        .map(HostileInput::quote);
    Arbitrary<String> literals = Arbitraries.of("null", "true", "false", "[]", "{}", "[null]", "{\"a\":1}", "[1,2,3]");
    Arbitrary<String> ints = Arbitraries.integers().map(String::valueOf);
    return Arbitraries.oneOf(numbers, strings, literals, ints);
  }

  /** A JSON object with {@code fields}, each present or not, each with a hostile value. */
  public static Arbitrary<String> jsonObjects(String... fields) {
    List<Arbitrary<String>> parts = java.util.Arrays.stream(fields)
        .map(f -> Arbitraries.oneOf(Arbitraries.just(""), jsonValues().map(v -> quote(f) + ":" + v)))
        .toList();
    return Combinators.combine(parts).as(list -> "{" + String.join(",", list.stream().filter(s -> !s.isEmpty()).toList()) + "}");
  }

  /** Bodies that are not JSON, or JSON too deep or too odd to decode. */
  public static Arbitrary<String> malformedJson() {
    return Arbitraries.oneOf(
        Arbitraries.of("", "{", "}", "{\"a\":}", "{'a':1}", "[", "nul", "{\"a\":1,}", "\u0000\u0001", "{\"a\":\"\\uZZZZ\"}",
            "{\"a\":1}{\"b\":2}", "<xml/>"),
        Arbitraries.integers().between(1_000, 60_000).map(n -> "[".repeat(n)),
        Arbitraries.integers().between(1_000, 20_000).map(n -> "{\"a\":".repeat(n) + "1" + "}".repeat(n)),
        Arbitraries.strings().all().ofMaxLength(200));
  }

  /** {@code Range} header values: malformed, reversed, overlapping, huge, negative. */
  public static Arbitrary<String> ranges() {
    Arbitrary<String> fixed = Arbitraries.of("bytes=", "bytes=-", "bytes=--1", "bytes=-0", "bytes=5-1", "bytes=-1-2",
        "bytes=0-1,0-1", "bytes=0-10,5-15", "bytes=a-b", "bytes=0-99999999999999999999", "bytes=9223372036854775807-",
        "bytes=-9223372036854775808", "items=0-1", "bytes 0-1", "bytes=0x0-0x1", "bytes=1e3-2e3", "bytes=\u00000-1",
        "bytes=0-1;bytes=2-3", "bytes=" + "0-1,".repeat(500));
    Arbitrary<String> numeric = Combinators.combine(Arbitraries.longs(), Arbitraries.longs())
        .as((a, b) -> "bytes=" + a + "-" + b);
    return Arbitraries.oneOf(fixed, numeric);
  }

  /** Digest strings, none of them valid. */
  public static Arbitrary<String> badDigests() {
    return Arbitraries.oneOf(
        Arbitraries.of("", "sha256:", "md5:", "sha1:" + "0".repeat(40), "sha256:" + "g".repeat(64), "sha256:" + "0".repeat(63),
            "SHA256:" + "0".repeat(65), "md5:" + "0".repeat(31), "sha256:../../etc/passwd", ":", "sha256::"),
        Arbitraries.strings().all().ofMaxLength(80));
  }

  /** {@code s} as a JSON string literal. */
  public static String quote(String s) {
    StringBuilder b = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c < 0x20) {
        b.append(String.format("\\u%04x", (int) c));
      } else {
        b.append(c);
      }
    }
    return b.append('"').toString();
  }
}
