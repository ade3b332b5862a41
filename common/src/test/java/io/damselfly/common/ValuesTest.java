package io.damselfly.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ValuesTest {
  @Test
  void byteSizesAndRates() {
    assertThat(ByteSize.parse("rate", "20M")).isEqualTo(20L << 20);
    assertThat(ByteSize.parse("rate", "512K")).isEqualTo(512L << 10);
    assertThat(ByteSize.parse("rate", "1.5G")).isEqualTo(3L << 29);
    assertThat(ByteSize.parse("rate", "100MB")).isEqualTo(100L << 20);
    assertThat(ByteSize.parse("rate", "10m/s")).isEqualTo(10L << 20);
    assertThat(ByteSize.parse("rate", "4096")).isEqualTo(4096);
    assertThatThrownBy(() -> ByteSize.parse("--locallimit", "fast")).hasMessageStartingWith("--locallimit must be a size");
    assertThatThrownBy(() -> ByteSize.parse("--locallimit", "-5M")).hasMessageStartingWith("--locallimit");
    assertThatThrownBy(() -> ByteSize.parse("--locallimit", "")).hasMessageStartingWith("--locallimit");
    assertThat(ByteSize.format(1536)).isEqualTo("1.5 KiB");
  }

  @Test
  void hostPorts() {
    assertThat(HostPort.parse("sn1", 8002)).isEqualTo(new HostPort("sn1", 8002));
    assertThat(HostPort.parse("10.0.0.1:9000", 8002).port()).isEqualTo(9000);
    assertThat(HostPort.parse("[::1]:9000", 8002).authority()).isEqualTo("[::1]:9000");
    assertThatThrownBy(() -> HostPort.parse("h:99999", 1)).hasMessageContaining("port must be in");
    assertThatThrownBy(() -> HostPort.parse("h:x", 1)).hasMessageContaining("port must be a number");
  }

  @Test
  void idsAreSafePathSegments() {
    assertThat(TaskId.of("0123abc-c").value()).isEqualTo("0123abc-c");
    assertThatThrownBy(() -> TaskId.of("../etc")).hasMessageContaining("task id must be");
    assertThatThrownBy(() -> TaskId.of("A")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> PeerId.of("a/b")).hasMessageContaining("peer id must be");
    assertThat(PeerId.random("my host!").value()).startsWith("myhost-");
    assertThat(PeerId.random(".hidden").value()).startsWith("peer.hidden-");
  }

  @Test
  void byteRangesPrintHttpForms() {
    ByteRange r = new ByteRange(10, 5);
    assertThat(r.toRangeHeader()).isEqualTo("bytes=10-14");
    assertThat(r.toContentRange(100)).isEqualTo("bytes 10-14/100");
    assertThatThrownBy(() -> new ByteRange(-1, 1)).hasMessageContaining("start must be >= 0");
    assertThatThrownBy(() -> new ByteRange(0, 0)).hasMessageContaining("length must be > 0");
  }

  @Test
  void pieceBitmapIsAddOnly() {
    PieceBitmap b = new PieceBitmap(130);
    assertThat(b.set(129)).isTrue();
    assertThat(b.set(129)).isFalse();
    assertThat(b.get(129)).isTrue();
    assertThat(b.get(130)).isFalse();
    assertThat(b.allSet(128, 129)).isFalse();
    b.set(128);
    assertThat(b.allSet(128, 129)).isTrue();
    assertThat(b.cardinality()).isEqualTo(2);
    assertThatThrownBy(() -> b.set(130)).hasMessageContaining("[0, 130)");
  }
}
