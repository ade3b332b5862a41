package io.damselfly.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The range handler on an {@link EmbeddedChannel}: what it does with the bytes of one wake-up. */
class RangeHandlerTest {
  private static final int LENGTH = 1 << 20;
  private EmbeddedChannel channel;
  private RangeHandler handler;
  private RangeHandler.Exchange exchange;

  @BeforeEach
  void begin() {
    handler = new RangeHandler();
    channel = new EmbeddedChannel(handler);
    exchange = answering(handler, channel);
  }

  /** Starts an exchange of {@link #LENGTH} bytes on {@code ch} and feeds it the answer's head. */
  private static RangeHandler.Exchange answering(RangeHandler h, EmbeddedChannel ch) {
    RangeHandler.Exchange x = new RangeHandler.Exchange(new byte[LENGTH], LENGTH, Pacer.NONE);
    h.begin(x, new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/f"));
    ch.runPendingTasks();
    ch.readOutbound();
    DefaultHttpResponse answer = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.PARTIAL_CONTENT);
    answer.headers().set(HttpHeaderNames.CONTENT_LENGTH, LENGTH);
    ch.writeInbound(answer);
    return x;
  }

  @AfterEach
  void close() {
    channel.finishAndReleaseAll();
  }

  @Test
  void aSmallReadMidAnswerPausesReadingBrieflyAndLosesNoByte() {
    channel.writeInbound(chunk(1448, (byte) 1));
    assertThat(channel.config().isAutoRead()).as("reading paused after a packet's worth").isFalse();

    channel.advanceTimeBy(RangeHandler.COALESCE_NANOS, TimeUnit.NANOSECONDS);
    channel.runScheduledPendingTasks();
    assertThat(channel.config().isAutoRead()).as("reading again after the pause").isTrue();

    channel.writeInbound(chunk(LENGTH - 1448, (byte) 2));
    channel.writeInbound(new DefaultLastHttpContent());
    assertThat(exchange.done).isCompleted();
    assertThat(Arrays.copyOfRange(exchange.into, 0, 1448)).containsOnly(1);
    assertThat(Arrays.copyOfRange(exchange.into, 1448, LENGTH)).containsOnly(2);
  }

  @Test
  void aWakeUpThatReadsMuchNeverPauses() {
    channel.writeInbound(chunk(RangeHandler.SMALL_READ, (byte) 3));
    assertThat(channel.config().isAutoRead()).isTrue();
  }

  @Test
  void theTailOfAnAnswerIsReadWithoutPausing() {
    channel.writeInbound(chunk(LENGTH - 1000, (byte) 4));
    channel.writeInbound(chunk(500, (byte) 5));
    assertThat(channel.config().isAutoRead()).as("less than a small read's worth is left").isTrue();
  }

  @Test
  void nothingPausesBetweenAnswers() {
    channel.writeInbound(chunk(LENGTH, (byte) 6));
    channel.writeInbound(new DefaultLastHttpContent());
    assertThat(exchange.done).isCompleted();
    assertThat(channel.config().isAutoRead()).isTrue();
  }

  @Test
  void withTheKernelsLowWaterMarkTheLoopWakesPerSmallReadOrForTheTailAndNeverPauses() {
    List<Integer> marks = new ArrayList<>();
    RangeHandler watered = new RangeHandler((ch, bytes) -> marks.add(bytes));
    EmbeddedChannel ch = new EmbeddedChannel(watered);
    try {
      RangeHandler.Exchange x = answering(watered, ch);
      ch.writeInbound(chunk(1448, (byte) 1));
      assertThat(ch.config().isAutoRead()).as("the kernel gathers bytes: no pause").isTrue();
      ch.writeInbound(chunk(LENGTH - 1448 - 1000, (byte) 2));
      ch.writeInbound(chunk(900, (byte) 3));
      assertThat(ch.config().isAutoRead()).isTrue();
      ch.writeInbound(new DefaultLastHttpContent(Unpooled.wrappedBuffer(new byte[100])));
      assertThat(x.done).isCompleted();
      assertThat(marks).as("64 KiB mid-answer, then exactly what is left, then 1 for the next answer's head")
          .containsExactly(RangeHandler.SMALL_READ, 1000, 100, 1);
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void aLowWaterMarkTheChannelRefusesFallsBackToPausing() {
    RangeHandler refused = new RangeHandler((ch, bytes) -> false);
    EmbeddedChannel ch = new EmbeddedChannel(refused);
    try {
      answering(refused, ch);
      ch.writeInbound(chunk(1448, (byte) 1));
      assertThat(ch.config().isAutoRead()).isFalse();
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  @Test
  void aBusyAnswerFailsTheExchangeAsBusyAndKeepsTheConnectionForTheNext() {
    RangeHandler h = new RangeHandler();
    EmbeddedChannel ch = new EmbeddedChannel(h);
    try {
      RangeHandler.Exchange x = new RangeHandler.Exchange(new byte[LENGTH], LENGTH, Pacer.NONE);
      h.begin(x, new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/f"));
      ch.runPendingTasks();
      ch.readOutbound();
      DefaultHttpResponse busy = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.SERVICE_UNAVAILABLE);
      busy.headers().set(HttpHeaderNames.CONTENT_LENGTH, 40);
      ch.writeInbound(busy);
      ch.writeInbound(new DefaultLastHttpContent(Unpooled.wrappedBuffer(new byte[40])));
      assertThat(x.done).isCompletedExceptionally();
      assertThat(x.done.exceptionNow()).isInstanceOfSatisfying(RangeException.class,
          e -> assertThat(e.kind()).isEqualTo(RangeException.Kind.BUSY));
      assertThat(ch.isOpen()).as("kept for the next request").isTrue();
      assertThat(x.into).as("the error body is not piece data").containsOnly(0);
      RangeHandler.Exchange next = answering(h, ch);
      ch.writeInbound(new DefaultLastHttpContent(Unpooled.wrappedBuffer(new byte[LENGTH])));
      assertThat(next.done).isCompleted();
    } finally {
      ch.finishAndReleaseAll();
    }
  }

  private static DefaultHttpContent chunk(int bytes, byte value) {
    byte[] b = new byte[bytes];
    Arrays.fill(b, value);
    return new DefaultHttpContent(Unpooled.wrappedBuffer(b));
  }
}
