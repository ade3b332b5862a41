package io.damselfly.peer.download.session;

import io.damselfly.common.TaskId;
import io.damselfly.protocol.Json;
import io.damselfly.protocol.PieceMap;
import io.damselfly.protocol.ProtocolV1;
import io.damselfly.protocol.Source;
import io.damselfly.transport.ApiClient;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.IntPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The neighbors the supernode named for a task and the pieces each holds. Each neighbor's piece map is
 * <em>watched</em>: one request per neighbor is kept open ({@link ProtocolV1#QUERY_SINCE}, {@link
 * ProtocolV1#QUERY_WAIT}) and the neighbor answers it when it holds more pieces, so a map costs a request
 * per change (at most one per {@link #REWATCH_MILLIS}), not per second. Answers arrive as {@link MapAnswer} events
 * on the session's queue and are applied by the session thread, the only thread using this object. Plans
 * fetches without asking the supernode per piece: pieces rarest among the neighbors first, each from the
 * neighbor with the fewest fetches from this peer, at most {@link #MAX_FETCHES_PER_NEIGHBOR} at once.
 */
final class Neighbors implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Neighbors.class);
  /** How long a neighbor may hold a watch before answering an unchanged map. */
  static final long WATCH_MILLIS = ProtocolV1.MAX_MAP_WAIT_MILLIS;
  /** An unchanged map that came back early (a neighbor older than 1.4 answers at once) is asked again after this... */
  static final long UNCHANGED_FIRST_MILLIS = 1000;
  /** ...doubled while it stays unchanged, up to this. */
  static final long UNCHANGED_MAX_MILLIS = 4000;
  /**
   * A map that grew is watched again after this long, so a neighbor gaining pieces fast answers a watcher at most
   * this often, each answer carrying the pieces of that span, not one answer (and one HTTP exchange) per piece.
   */
  static final long REWATCH_MILLIS = 250;
  /** A neighbor whose map or piece could not be had is not planned from for this long. */
  static final long BACKOFF_MILLIS = 5000;
  /** A neighbor that answered BUSY is not planned from for this long: it serves as many uploads as it takes. */
  static final long BUSY_BACKOFF_MILLIS = 250;
  /**
   * Fetches from one neighbor at once: a peer's upload slots (the supernode's default bound of uploads per peer,
   * maxUploadsPerPeer, is the same); a neighbor busy with others answers BUSY and is left for a moment.
   */
  static final int MAX_FETCHES_PER_NEIGHBOR = 4;

  /** One planned fetch. */
  record Planned(int piece, Source source) {}

  /** A neighbor's answer to a watch, for the session thread to {@link #apply}. */
  record MapAnswer(String neighborId, int epoch, BitSet held, Throwable error, long askedAt) {}

  private static final class Known {
    Source source;
    BitSet held = new BitSet();
    long backoffUntil = Long.MIN_VALUE;
    long unchangedDelay;
    int planned;
    int epoch;
    CompletableFuture<?> watch;
    /** The watch's HTTP exchange once sent (set on the client's thread): cancelling it ends the exchange. */
    final java.util.concurrent.atomic.AtomicReference<CompletableFuture<?>> exchange =
        new java.util.concurrent.atomic.AtomicReference<>();
  }

  private final ApiClient api;
  private final TaskId task;
  private final String peerId;
  private final Duration timeout;
  private final InstantSource clock;
  private final Consumer<Object> events;
  private final Map<String, Known> known = new HashMap<>();
  /** Neighbors that sent a piece whose digest did not match: never asked again in this download. */
  private final Set<String> banned = new HashSet<>();
  private int epochs;
  private boolean closed;

  /**
   * @param events where watch answers go (the session's queue); called on HTTP client threads
   */
  Neighbors(ApiClient api, TaskId task, String peerId, Duration timeout, InstantSource clock,
      Consumer<Object> events) {
    this.api = api;
    this.task = task;
    this.peerId = peerId;
    this.timeout = timeout;
    this.clock = clock;
    this.events = events;
  }

  /**
   * Takes the supernode's latest list: new neighbors are watched from now on; neighbors no longer named are
   * dropped (their watch cancelled); those named again keep their map and watch.
   */
  void update(List<Source> latest) {
    if (latest.isEmpty() || closed) {
      return;
    }
    Set<String> named = new HashSet<>();
    for (Source s : latest) {
      if (s.isCdn() || s.peerId().equals(peerId) || banned.contains(s.peerId())) {
        continue;
      }
      named.add(s.peerId());
      Known k = known.get(s.peerId());
      if (k == null) {
        k = new Known();
        k.source = s;
        known.put(s.peerId(), k);
        watch(k, 0);
      } else {
        k.source = s;
      }
    }
    known.entrySet().removeIf(e -> {
      boolean gone = !named.contains(e.getKey()) && e.getValue().planned == 0;
      if (gone) {
        cancel(e.getValue());
      }
      return gone;
    });
  }

  /** {@code neighborId} served bad bytes: it is dropped and never planned from again. */
  void ban(String neighborId) {
    banned.add(neighborId);
    Known k = known.remove(neighborId);
    if (k != null) {
      cancel(k);
    }
  }

  boolean isEmpty() {
    return known.isEmpty();
  }

  /** A fetch from {@code neighborId} failed: do not plan from it for a while. */
  void failed(String neighborId) {
    Known k = known.get(neighborId);
    if (k != null) {
      k.backoffUntil = clock.millis() + BACKOFF_MILLIS;
    }
  }

  /** {@code neighborId} answered BUSY: plan from others for a moment. */
  void busy(String neighborId) {
    Known k = known.get(neighborId);
    if (k != null) {
      k.backoffUntil = Math.max(k.backoffUntil, clock.millis() + BUSY_BACKOFF_MILLIS);
    }
  }

  /**
   * When the earliest neighbor that holds pieces comes out of its back-off, if any is in one and none is usable
   * now; else {@link Long#MAX_VALUE}. The session wakes then to plan again.
   */
  long nextUsable() {
    long now = clock.millis();
    long next = Long.MAX_VALUE;
    for (Known k : known.values()) {
      if (k.held.isEmpty() || k.planned >= MAX_FETCHES_PER_NEIGHBOR) {
        continue;
      }
      if (k.backoffUntil <= now) {
        return Long.MAX_VALUE;
      }
      next = Math.min(next, k.backoffUntil);
    }
    return next;
  }

  /** A planned fetch ended; the neighbor's load drops. */
  void ended(String neighborId) {
    Known k = known.get(neighborId);
    if (k != null && k.planned > 0) {
      k.planned--;
    }
  }

  /** Applies a watch's answer and watches again; returns true when the map grew (a plan may find more). */
  boolean apply(MapAnswer a) {
    Known k = known.get(a.neighborId());
    if (k == null || k.epoch != a.epoch() || closed) {
      return false; // a neighbor dropped since, or an answer overtaken by a newer watch
    }
    k.watch = null;
    long now = clock.millis();
    if (a.error() != null) {
      LOG.debug("piece map of {} unavailable: {}", a.neighborId(), String.valueOf(a.error()));
      k.backoffUntil = now + BACKOFF_MILLIS;
      watch(k, BACKOFF_MILLIS);
      return false;
    }
    boolean grew = a.held().cardinality() > k.held.cardinality();
    if (!grew && now - a.askedAt() < WATCH_MILLIS / 2) {
      // answered early without news: a neighbor that does not hold watches; ask it less and less often
      k.unchangedDelay = k.unchangedDelay == 0 ? UNCHANGED_FIRST_MILLIS : Math.min(UNCHANGED_MAX_MILLIS,
          k.unchangedDelay * 2);
    } else {
      k.unchangedDelay = 0;
    }
    k.held = a.held();
    watch(k, grew ? REWATCH_MILLIS : k.unchangedDelay);
    return grew;
  }

  /**
   * Up to {@code want} pieces below {@code knownPieces} that some usable neighbor holds and {@code skip} does not
   * reject, from the maps at hand (watches keep them current).
   */
  List<Planned> plan(int want, int knownPieces, IntPredicate skip) {
    if (want <= 0 || known.isEmpty() || knownPieces <= 0) {
      return List.of();
    }
    long now = clock.millis();
    List<Known> usable = new ArrayList<>();
    for (Known k : known.values()) {
      if (now >= k.backoffUntil && k.planned < MAX_FETCHES_PER_NEIGHBOR && !k.held.isEmpty()) {
        usable.add(k);
      }
    }
    if (usable.isEmpty()) {
      return List.of();
    }
    int[] copies = new int[knownPieces];
    for (Known k : usable) {
      for (int i = k.held.nextSetBit(0); i >= 0 && i < knownPieces; i = k.held.nextSetBit(i + 1)) {
        copies[i]++;
      }
    }
    int rotation = Math.floorMod(peerId.hashCode(), knownPieces);
    List<Planned> out = new ArrayList<>();
    // rarest first: one pass per copy count, from the rotation on, until enough are planned
    for (int rarity = 1; rarity <= usable.size() && out.size() < want; rarity++) {
      for (int j = 0; j < knownPieces && out.size() < want; j++) {
        int piece = (rotation + j) % knownPieces;
        if (copies[piece] != rarity || skip.test(piece)) {
          continue;
        }
        Known best = null;
        for (Known k : usable) {
          if (k.planned < MAX_FETCHES_PER_NEIGHBOR && k.held.get(piece) && (best == null || k.planned < best.planned)) {
            best = k;
          }
        }
        if (best != null) {
          best.planned++;
          out.add(new Planned(piece, best.source));
        }
      }
    }
    return out;
  }

  /** The highest piece index any neighbor was seen holding, or -1. */
  int highestHeld() {
    int max = -1;
    for (Known k : known.values()) {
      max = Math.max(max, k.held.length() - 1);
    }
    return max;
  }

  /** Cancels every watch; answers still on their way are ignored. */
  @Override
  public void close() {
    closed = true;
    known.values().forEach(this::cancel);
  }

  private void cancel(Known k) {
    k.epoch = ++epochs;
    if (k.watch != null) {
      k.watch.cancel(true);
      k.watch = null;
    }
    CompletableFuture<?> open = k.exchange.getAndSet(null);
    if (open != null) {
      open.cancel(true); // the neighbor stops holding this watch at once, not after its wait
    }
  }

  /** Asks {@code k} for its map, to be held until it holds more than this peer saw; after {@code delayMillis}. */
  private void watch(Known k, long delayMillis) {
    int epoch = k.epoch = ++epochs;
    Source s = k.source;
    int seen = k.held.cardinality();
    String host = s.host().contains(":") ? "[" + s.host() + "]" : s.host();
    String path = ProtocolV1.path(ProtocolV1.PIECE_MAP, task.value()) + "?" + ProtocolV1.QUERY_SINCE + "=" + seen
        + "&" + ProtocolV1.QUERY_WAIT + "=" + WATCH_MILLIS;
    Executor after = delayMillis > 0 ? CompletableFuture.delayedExecutor(delayMillis, TimeUnit.MILLISECONDS)
        : Runnable::run;
    k.watch = CompletableFuture.runAsync(() -> { }, after).thenCompose(v -> {
      long askedAt = clock.millis();
      CompletableFuture<ApiClient.Answer> sent = api.send("GET", s.host(), s.port(), path,
          Map.of(ProtocolV1.HEADER_PEER_ID, peerId), null, timeout.plusMillis(WATCH_MILLIS));
      k.exchange.set(sent);
      return sent.handle((res, e) -> answer(s.peerId(), epoch, res, e, askedAt));
    }).thenAccept(events);
  }

  private static MapAnswer answer(String id, int epoch, ApiClient.Answer res, Throwable e, long askedAt) {
    if (e != null) {
      return new MapAnswer(id, epoch, null, e, askedAt);
    }
    try {
      BitSet held = res.status() == 200 ? Json.read(res.body(), PieceMap.class).held() : new BitSet();
      return new MapAnswer(id, epoch, held, null, askedAt);
    } catch (IllegalArgumentException bad) {
      return new MapAnswer(id, epoch, null, bad, askedAt);
    }
  }
}
