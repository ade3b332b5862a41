package io.damselfly.dfdaemon.ops;

import static org.assertj.core.api.Assertions.assertThat;

import io.damselfly.protocol.ErrorCode;
import io.damselfly.protocol.ProtocolV1;
import io.damselfly.protocol.TaskStatus;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/PROTOCOL.md names every route of ProtocolV1, every error code with its status, and every task status. */
class ProtocolReferenceTest {
  private static final String DOC = "docs/PROTOCOL.md";

  @Test
  void everyRouteIsDocumented() throws Exception {
    String doc = RepoFiles.read(DOC);
    List<String> missing = new ArrayList<>();
    for (Field f : ProtocolV1.class.getFields()) {
      if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class
          && ((String) f.get(null)).startsWith("/") && !named(doc, (String) f.get(null))) {
        missing.add(f.getName() + " " + f.get(null));
      }
    }
    assertThat(missing).as("routes missing from " + DOC).isEmpty();
  }

  @Test
  void everyErrorCodeIsInTheTableWithItsStatus() {
    String errors = section(RepoFiles.read(DOC), "## Errors");
    for (ErrorCode c : ErrorCode.values()) {
      assertThat(errors).as("%s in the errors table of %s", c, DOC).contains("| `" + c + "` | " + c.httpStatus() + " |");
    }
  }

  @Test
  void everyTaskStatusIsDocumented() {
    String doc = RepoFiles.read(DOC);
    for (TaskStatus s : TaskStatus.values()) {
      assertThat(doc).as("%s in %s", s, DOC).contains("`" + s + "`");
    }
  }

  /** The route in code style: {@code `/route`}, or after its method ({@code `GET /route?query`}). */
  private static boolean named(String doc, String route) {
    return Pattern.compile("[` ]" + Pattern.quote(route) + "[`? ]").matcher(doc).find();
  }

  private static String section(String doc, String heading) {
    int start = doc.indexOf("\n" + heading + "\n");
    assertThat(start).as("%s has a section '%s'", DOC, heading).isNotNegative();
    int end = doc.indexOf("\n## ", start + heading.length() + 2);
    return end < 0 ? doc.substring(start) : doc.substring(start, end);
  }
}
