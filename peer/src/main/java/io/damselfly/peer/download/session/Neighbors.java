package io.damselfly.peer.download.session;

import io.damselfly.common.TaskId;
import io.damselfly.protocol.Json;
import io.damselfly.protocol.PieceMap;
import io.damselfly.protocol.ProtocolV1;
import io.damselfly.protocol.Source;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.IntPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The neighbors the supernode named for a task and the pieces each holds, learned from the neighbors
 * themselves ({@link ProtocolV1#PIECE_MAP}). Plans fetches without asking the supernode per piece:
 * pieces rarest among the neighbors first, each from the neighbor this peer asked least.
 * Used by one session thread only.
 */
public final class Neighbors {
  private static final Logger LOG = LoggerFactory.getLogger(Neighbors.class);
  /** A known map is asked again only when a plan falls short and it is older than this... */
  static final long MAP_FRESH_NANOS = Duration.ofSeconds(1).toNanos();
  /** ...doubled while a neighbor's map comes back unchanged, up to this. */
  static final long MAP_STALE_MAX_NANOS = Duration.ofSeconds(4).toNanos();
  private static final long BACKOFF_NANOS = Duration.ofSeconds(5).toNanos();
  private static final long NEVER = Long.MIN_VALUE / 2;

  /** One planned fetch. */
  record Planned(int piece, Source source) {}

  private static final class Known {
    Source source;
    BitSet held = new BitSet();
    long fetchedAt = NEVER;
    long freshFor = MAP_FRESH_NANOS;
    long backoffUntil = NEVER;
    int planned;
  }

  private final HttpClient http;
  private final ClusterHttp cluster;
  private final TaskId task;
  private final String peerId;
  private final Duration timeout;
  private final Map<String, Known> known = new HashMap<>();
  /** Neighbors that sent a piece whose digest did not match: never asked again in this download. */
  private final java.util.Set<String> banned = new java.util.HashSet<>();

  Neighbors(HttpClient http, TaskId task, String peerId, Duration timeout) {
    this(ClusterHttp.plain(http), task, peerId, timeout);
  }

  public Neighbors(ClusterHttp cluster, TaskId task, String peerId, Duration timeout) {
    this.http = cluster.client();
    this.cluster = cluster;
    this.task = task;
    this.peerId = peerId;
    this.timeout = timeout;
  }

  /** Takes the supernode's latest list; neighbors no longer named are forgotten. */
  void update(List<Source> latest) {
    if (latest.isEmpty()) {
      return;
    }
    Map<String, Known> next = new HashMap<>();
    for (Source s : latest) {
      if (s.isCdn() || s.peerId().equals(peerId) || banned.contains(s.peerId())) {
        continue;
      }
      Known k = known.getOrDefault(s.peerId(), new Known());
      k.source = s;
      next.put(s.peerId(), k);
    }
    known.clear();
    known.putAll(next);
  }

  /** {@code neighborId} served bad bytes: it is dropped and never planned from again. */
  void ban(String neighborId) {
    banned.add(neighborId);
    known.remove(neighborId);
  }

  boolean isEmpty() {
    return known.isEmpty();
  }

  /** A fetch from {@code neighborId} failed: do not plan from it for a while. */
  void failed(String neighborId) {
    Known k = known.get(neighborId);
    if (k != null) {
      k.backoffUntil = System.nanoTime() + BACKOFF_NANOS;
      k.fetchedAt = NEVER;
      k.freshFor = MAP_FRESH_NANOS;
    }
  }

  /**
   * Up to {@code want} pieces below {@code knownPieces} that some neighbor holds and {@code skip} does not
   * reject. A neighbor's map is fetched when it was never fetched, and again only when the maps at hand
   * offer fewer than {@code want} pieces and it is older than its freshness (1 s, doubled up to 4 s while
   * it comes back unchanged): maps only grow, so a stale one never plans a piece the neighbor lacks.
   * {@link #highestHeld()} reflects the maps fetched so far.
   */
  List<Planned> plan(int want, int knownPieces, IntPredicate skip) {
    if (want <= 0 || known.isEmpty()) {
      return List.of();
    }
    long now = System.nanoTime();
    List<Known> never = new ArrayList<>();
    for (Known k : known.values()) {
      if (k.fetchedAt == NEVER && now - k.backoffUntil >= 0) {
        never.add(k);
      }
    }
    refresh(never, now);
    List<Known> usable = usable(now);
    int[] copies = new int[Math.max(0, knownPieces)];
    List<Integer> candidates = candidates(usable, knownPieces, skip, copies);
    if (candidates.size() < want) {
      List<Known> stale = new ArrayList<>();
      for (Known k : usable) {
        if (now - k.fetchedAt > k.freshFor) {
          stale.add(k);
        }
      }
      if (!stale.isEmpty()) {
        refresh(stale, now);
        usable = usable(now);
        Arrays.fill(copies, 0);
        candidates = candidates(usable, knownPieces, skip, copies);
      }
    }
    if (knownPieces <= 0) {
      return List.of();
    }
    List<Planned> out = new ArrayList<>();
    for (int piece : candidates) {
      if (out.size() >= want) {
        break;
      }
      Known best = null;
      for (Known k : usable) {
        if (k.held.get(piece) && (best == null || k.planned < best.planned)) {
          best = k;
        }
      }
      best.planned++;
      out.add(new Planned(piece, best.source));
    }
    return out;
  }

  /** The neighbors whose map was fetched and that are not backed off at {@code now}. */
  private List<Known> usable(long now) {
    List<Known> usable = new ArrayList<>();
    for (Known k : known.values()) {
      if (now - k.backoffUntil >= 0 && k.fetchedAt != NEVER) {
        usable.add(k);
      }
    }
    return usable;
  }

  /** Pieces some usable neighbor holds and {@code skip} accepts, rarest first; fills {@code copies}. */
  private List<Integer> candidates(List<Known> usable, int knownPieces, IntPredicate skip, int[] copies) {
    if (knownPieces <= 0) {
      return List.of();
    }
    for (Known k : usable) {
      for (int i = k.held.nextSetBit(0); i >= 0 && i < knownPieces; i = k.held.nextSetBit(i + 1)) {
        copies[i]++;
      }
    }
    List<Integer> candidates = new ArrayList<>();
    for (int i = 0; i < knownPieces; i++) {
      if (copies[i] > 0 && !skip.test(i)) {
        candidates.add(i);
      }
    }
    int rotation = Math.floorMod(peerId.hashCode(), Math.max(1, knownPieces));
    candidates.sort((a, b) -> copies[a] != copies[b] ? Integer.compare(copies[a], copies[b])
        : Integer.compare(Math.floorMod(a - rotation, knownPieces), Math.floorMod(b - rotation, knownPieces)));
    return candidates;
  }

  /** The highest piece index any neighbor was seen holding, or -1. */
  int highestHeld() {
    int max = -1;
    for (Known k : known.values()) {
      max = Math.max(max, k.held.length() - 1);
    }
    return max;
  }

  /** A planned fetch ended; the neighbor's load drops. */
  void ended(String neighborId) {
    Known k = known.get(neighborId);
    if (k != null && k.planned > 0) {
      k.planned--;
    }
  }

  /**
   * Asks every neighbor in {@code stale} for its piece map at once and waits for all answers: the session
   * thread plans no fetch meanwhile, so one round trip per refresh, not one per neighbor in a row (on busy
   * upload links each answer queues behind piece data; eight of them in a row left fetch slots idle).
   */
  private void refresh(List<Known> stale, long now) {
    if (stale.isEmpty()) {
      return;
    }
    List<CompletableFuture<HttpResponse<byte[]>>> answers = new ArrayList<>(stale.size());
    for (Known k : stale) {
      Source s = k.source;
      String host = s.host().contains(":") ? "[" + s.host() + "]" : s.host();
      answers.add(http.sendAsync(cluster.request(host + ":" + s.port(),
          ProtocolV1.path(ProtocolV1.PIECE_MAP, task.value())).timeout(timeout)
          .header(ProtocolV1.HEADER_PEER_ID, peerId).GET().build(), HttpResponse.BodyHandlers.ofByteArray()));
    }
    for (int i = 0; i < stale.size(); i++) {
      Known k = stale.get(i);
      try {
        HttpResponse<byte[]> res = answers.get(i).get();
        BitSet held = res.statusCode() == 200 ? Json.read(res.body(), PieceMap.class).held() : new BitSet();
        // back off while the map does not change; a neighbor that is gaining pieces is asked every second
        k.freshFor = k.fetchedAt != NEVER && held.equals(k.held)
            ? Math.min(MAP_STALE_MAX_NANOS, k.freshFor * 2) : MAP_FRESH_NANOS;
        k.held = held;
        k.fetchedAt = System.nanoTime(); // the map's age counts from its answer, however slow that was
      } catch (ExecutionException | IllegalArgumentException e) {
        Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
        LOG.debug("piece map of {} unavailable: {}", k.source.peerId(), String.valueOf(cause));
        k.backoffUntil = now + BACKOFF_NANOS;
      } catch (InterruptedException e) {
        answers.forEach(x -> x.cancel(true));
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
