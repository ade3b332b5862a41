package io.damselfly.cli.node;

import io.damselfly.protocol.DownloadRequest;
import io.damselfly.protocol.NodeInfo;
import io.damselfly.protocol.ProgressEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The few local-API messages dfget reads and writes ({@link DownloadRequest} out; {@link ProgressEvent},
 * {@link NodeInfo}, error bodies and {@code node.json} in), in the JSON the node's Jackson writes and reads, with
 * the JDK alone: dfget's hand-over path loads no JSON library (see docs/CLI.md, "A light client").
 */
public final class LocalJson {
  private final String text;
  private int at;

  private LocalJson(String text) {
    this.text = text;
  }

  /** The members of the JSON object {@code text}; nested values are maps, lists, strings, longs, doubles, booleans. */
  public static Map<String, Object> object(String text) {
    LocalJson p = new LocalJson(text);
    Object v = p.value();
    p.space();
    if (!(v instanceof Map<?, ?>) || p.at != text.length()) {
      throw new IllegalArgumentException("expected one JSON object, got '" + abbreviate(text) + "'");
    }
    @SuppressWarnings("unchecked")
    Map<String, Object> m = (Map<String, Object>) v;
    return m;
  }

  /** A progress, done or error event. */
  public static ProgressEvent event(String text) {
    Map<String, Object> m = object(text);
    String type = string(m, "type");
    if (type == null) {
      throw new IllegalArgumentException("a progress event needs a type, got '" + abbreviate(text) + "'");
    }
    return new ProgressEvent(ProgressEvent.Type.of(type), string(m, "taskId"), number(m, "totalBytes"), number(m, "doneBytes"),
        number(m, "fromPeers"), number(m, "fromCdn"), number(m, "fromSource"), number(m, "elapsedMillis"),
        string(m, "message"), (int) number(m, "exitCode"));
  }

  /** A node's answer to {@code GET /local/v1/node}. */
  public static NodeInfo nodeInfo(String text) {
    Map<String, Object> m = object(text);
    return new NodeInfo(string(m, "kind"), string(m, "version"), number(m, "pid"), (int) number(m, "uploadPort"),
        string(m, "home"));
  }

  /** The string member {@code name}, or null when absent or not a string. */
  public static String string(Map<String, Object> m, String name) {
    return m.get(name) instanceof String s ? s : null;
  }

  /** The whole-number member {@code name}, or 0 when absent. */
  public static long number(Map<String, Object> m, String name) {
    Object v = m.get(name);
    if (v == null) {
      return 0;
    }
    if (v instanceof Long l) {
      return l;
    }
    throw new IllegalArgumentException(name + " must be a whole number, got " + v);
  }

  /** {@code e} as the node's Jackson writes it: members in declaration order, null members left out. */
  public static String write(ProgressEvent e) {
    StringBuilder b = new StringBuilder("{");
    member(b, "type", e.type().wire());
    member(b, "taskId", e.taskId());
    member(b, "totalBytes", e.totalBytes());
    member(b, "doneBytes", e.doneBytes());
    member(b, "fromPeers", e.fromPeers());
    member(b, "fromCdn", e.fromCdn());
    member(b, "fromSource", e.fromSource());
    member(b, "elapsedMillis", e.elapsedMillis());
    member(b, "message", e.message());
    member(b, "exitCode", e.exitCode());
    return b.append('}').toString();
  }

  /** {@code r} as the node reads it. */
  public static String write(DownloadRequest r) {
    StringBuilder b = new StringBuilder("{");
    member(b, "url", r.url());
    member(b, "output", r.output());
    member(b, "headers", r.headers());
    member(b, "identifier", r.identifier());
    member(b, "filter", r.filter());
    member(b, "expectedDigest", r.expectedDigest());
    member(b, "pattern", r.pattern().wire());
    member(b, "localLimit", r.localLimit());
    member(b, "totalLimit", r.totalLimit());
    member(b, "timeoutMillis", r.timeoutMillis());
    member(b, "backToSource", r.backToSource());
    member(b, "nodes", r.nodes());
    member(b, "callSystem", r.callSystem());
    return b.append('}').toString();
  }

  private static void member(StringBuilder b, String name, Object value) {
    if (value == null) {
      return;
    }
    if (b.length() > 1) {
      b.append(',');
    }
    quote(b, name);
    b.append(':');
    writeValue(b, value);
  }

  private static void writeValue(StringBuilder b, Object value) {
    switch (value) {
      case String s -> quote(b, s);
      case Number n -> b.append(n);
      case Boolean t -> b.append(t);
      case Map<?, ?> m -> {
        b.append('{');
        boolean first = true;
        for (Map.Entry<?, ?> e : m.entrySet()) {
          if (!first) {
            b.append(',');
          }
          first = false;
          quote(b, e.getKey().toString());
          b.append(':');
          writeValue(b, e.getValue());
        }
        b.append('}');
      }
      case List<?> l -> {
        b.append('[');
        for (int i = 0; i < l.size(); i++) {
          if (i > 0) {
            b.append(',');
          }
          writeValue(b, l.get(i));
        }
        b.append(']');
      }
      default -> throw new IllegalArgumentException("cannot write " + value.getClass().getSimpleName() + " as JSON");
    }
  }

  private static void quote(StringBuilder b, String s) {
    b.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (c < 0x20) {
            b.append("\\u00").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 15, 16));
          } else {
            b.append(c);
          }
        }
      }
    }
    b.append('"');
  }

  private Object value() {
    space();
    if (at >= text.length()) {
      throw error("a value");
    }
    char c = text.charAt(at);
    return switch (c) {
      case '{' -> members();
      case '[' -> elements();
      case '"' -> string();
      case 't' -> literal("true", Boolean.TRUE);
      case 'f' -> literal("false", Boolean.FALSE);
      case 'n' -> literal("null", null);
      default -> number();
    };
  }

  private Map<String, Object> members() {
    Map<String, Object> m = new LinkedHashMap<>();
    at++;
    space();
    if (peek() == '}') {
      at++;
      return m;
    }
    while (true) {
      space();
      if (peek() != '"') {
        throw error("a member name");
      }
      String name = string();
      space();
      expect(':');
      m.put(name, value());
      space();
      if (peek() == ',') {
        at++;
      } else {
        expect('}');
        return m;
      }
    }
  }

  private List<Object> elements() {
    List<Object> l = new ArrayList<>();
    at++;
    space();
    if (peek() == ']') {
      at++;
      return l;
    }
    while (true) {
      l.add(value());
      space();
      if (peek() == ',') {
        at++;
      } else {
        expect(']');
        return l;
      }
    }
  }

  private String string() {
    at++;
    StringBuilder b = new StringBuilder();
    while (at < text.length()) {
      char c = text.charAt(at++);
      if (c == '"') {
        return b.toString();
      }
      if (c != '\\') {
        b.append(c);
        continue;
      }
      if (at >= text.length()) {
        break;
      }
      char e = text.charAt(at++);
      switch (e) {
        case 'n' -> b.append('\n');
        case 'r' -> b.append('\r');
        case 't' -> b.append('\t');
        case 'b' -> b.append('\b');
        case 'f' -> b.append('\f');
        case 'u' -> {
          if (at + 4 > text.length()) {
            throw error("four hex digits");
          }
          b.append((char) Integer.parseInt(text, at, at + 4, 16));
          at += 4;
        }
        default -> b.append(e);
      }
    }
    throw error("the end of a string");
  }

  private Object number() {
    int start = at;
    while (at < text.length() && "+-0123456789.eE".indexOf(text.charAt(at)) >= 0) {
      at++;
    }
    String n = text.substring(start, at);
    try {
      if (n.indexOf('.') >= 0 || n.indexOf('e') >= 0 || n.indexOf('E') >= 0) {
        return Double.parseDouble(n); // not folded into a ?: with the long, which would make it a double
      }
      return Long.parseLong(n);
    } catch (NumberFormatException e) {
      at = start;
      throw error("a value");
    }
  }

  private Object literal(String word, Object value) {
    if (!text.startsWith(word, at)) {
      throw error("a value");
    }
    at += word.length();
    return value;
  }

  private void expect(char c) {
    if (peek() != c) {
      throw error("'" + c + "'");
    }
    at++;
  }

  private char peek() {
    return at < text.length() ? text.charAt(at) : 0;
  }

  private void space() {
    while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
      at++;
    }
  }

  private IllegalArgumentException error(String expected) {
    return new IllegalArgumentException("malformed JSON: expected " + expected + " at offset " + at + " of '"
        + abbreviate(text) + "'");
  }

  private static String abbreviate(String s) {
    return s.length() <= 200 ? s : s.substring(0, 200) + "...";
  }
}
