package io.damselfly.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.damselfly.common.Digest;
import java.util.List;
import org.junit.jupiter.api.Test;

class TaskIdentityTest {
  private static final Digest SHA = Digest.sha256("a".repeat(64));

  @Test
  void filteredQueryParametersDoNotChangeTheTask() {
    String a = TaskIdentity.key("http://h/f.tgz?token=1&v=2", List.of("token"), null, null);
    String b = TaskIdentity.key("http://h/f.tgz?v=2&token=9", List.of("token"), null, null);
    String c = TaskIdentity.key("http://h/f.tgz?v=3&token=9", List.of("token"), null, null);
    assertThat(a).isEqualTo(b).isNotEqualTo(c).hasSize(32);
  }

  @Test
  void identifierAndMd5AreIdentity() {
    String plain = TaskIdentity.key("http://h/f", List.of(), null, null);
    assertThat(TaskIdentity.key("http://h/f", List.of(), "v2", null)).isNotEqualTo(plain);
    assertThat(TaskIdentity.key("http://h/f", List.of(), null, Digest.md5("0".repeat(32)))).isNotEqualTo(plain);
  }

  @Test
  void sha256NamesContentWhateverTheUrl() {
    String a = TaskIdentity.key("http://reg/v2/a/blobs/x", List.of(), null, SHA);
    String b = TaskIdentity.key("https://s3/signed?X-Sig=1", List.of(), "other", SHA);
    assertThat(a).isEqualTo(b);
    assertThat(TaskIdentity.contentAddressed(SHA)).isTrue();
    assertThat(TaskIdentity.taskId(a, null).value()).endsWith("-c");
  }

  @Test
  void validatorMakesVersions() {
    String key = TaskIdentity.key("http://h/f", List.of(), null, null);
    assertThat(TaskIdentity.taskId(key, "\"e1\"")).isNotEqualTo(TaskIdentity.taskId(key, "\"e2\""));
    assertThat(TaskIdentity.taskId(key, "\"e1\"")).isEqualTo(TaskIdentity.taskId(key, "\"e1\""));
  }

  @Test
  void normalisationDropsFragmentAndLowercasesScheme() {
    assertThat(TaskIdentity.normaliseUrl("HTTP://h:8080/a/b?x=1#frag", List.of())).isEqualTo("http://h:8080/a/b?x=1");
    assertThat(TaskIdentity.normaliseUrl("http://h", List.of())).isEqualTo("http://h/");
  }

  @Test
  void rejectsNonHttpUrls() {
    assertThatThrownBy(() -> TaskIdentity.parseOriginUrl("ftp://h/f")).hasMessageContaining("http:// or https://");
    assertThatThrownBy(() -> TaskIdentity.parseOriginUrl("/etc/passwd")).hasMessageContaining("http:// or https://");
    assertThatThrownBy(() -> TaskIdentity.parseOriginUrl("http://")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TaskIdentity.parseOriginUrl(" ")).hasMessageContaining("got nothing");
  }
}
