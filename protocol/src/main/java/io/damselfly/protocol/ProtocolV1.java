package io.damselfly.protocol;

/**
 * Every route, header and default port of protocol version 1, in one place. See docs/PROTOCOL.md.
 *
 * <p>Path templates use {@code {name}} for path parameters.
 */
public final class ProtocolV1 {
  public static final int VERSION = 1;
  /**
   * The minor version: 1 added schedule neighbors, 2 the supernode cluster ({@link ErrorCode#NOT_OWNER}) and
   * preheat, 3 repairs of the CDN's damaged pieces ({@link ErrorCode#PIECE_UNAVAILABLE}), 4 piece-map watches
   * ({@link #QUERY_SINCE}, {@link #QUERY_WAIT}) and digest lists from an index ({@link #QUERY_FROM}), 5 the
   * {@link TaskStatus#EVICTED} status and unknown error codes read as {@link ErrorCode#INTERNAL}, 6
   * claims of a peer's damaged pieces ({@link #PIECE_CHECK}), 7 a peer's bound on piece uploads at once
   * ({@link ErrorCode#BUSY}).
   */
  public static final int MINOR_VERSION = 7;

  /** Supernode peer API port in the original deployment. */
  public static final int DEFAULT_API_PORT = 8002;
  /** Supernode piece (CDN) port in the original deployment. */
  public static final int DEFAULT_PIECE_PORT = 8001;
  /** dfdaemon proxy / mirror port in the original deployment. */
  public static final int DEFAULT_DAEMON_PORT = 65001;

  // ---- supernode API (port 8002) ----
  /** POST {@link RegisterRequest} → {@link RegisterResponse}. */
  public static final String REGISTER = "/api/v1/tasks/register";
  /** POST {@link ScheduleRequest} → {@link ScheduleResponse}; may wait (long poll) for work. */
  public static final String SCHEDULE = "/api/v1/tasks/{taskId}/schedule";
  /** DELETE: the peer leaves the task. */
  public static final String PEER = "/api/v1/tasks/{taskId}/peers/{peerId}";
  /**
   * GET → {@link TaskView}. DELETE (admin): the supernode forgets the task and removes its CDN files;
   * needs {@code Authorization: Bearer <admin token>} when a token is configured, else a loopback caller.
   */
  public static final String TASK = "/api/v1/tasks/{taskId}";
  /**
   * GET → {@link PieceDigests}: every stored piece's digest, so peers can verify pieces fetched from neighbors;
   * with {@code ?from=N} (since 1.4) only the digests of pieces N and up.
   */
  public static final String PIECE_DIGESTS = "/api/v1/tasks/{taskId}/pieces";
  /** Query parameter of {@link #PIECE_DIGESTS}: the first piece whose digest is wanted (since 1.4). */
  public static final String QUERY_FROM = "from";
  /**
   * Query parameter of {@link #PIECE_MAP} (since 1.4): the number of pieces the asker already saw the peer hold;
   * with {@link #QUERY_WAIT} the peer answers once it holds more (or holds them all), or when the wait is over.
   */
  public static final String QUERY_SINCE = "since";
  /** Query parameter of {@link #PIECE_MAP} (since 1.4): the longest the answer may be held, milliseconds. */
  public static final String QUERY_WAIT = "wait";
  /** The longest a peer holds a piece-map watch ({@link #QUERY_WAIT} is capped to it). */
  public static final long MAX_MAP_WAIT_MILLIS = 10_000;
  /** GET → list of {@link TaskView}. */
  public static final String TASKS = "/api/v1/tasks";
  /** GET → "OK": liveness, as the original supernode's (supernode API port and dfdaemon's port). */
  public static final String PING = "/_ping";
  /** GET → 200 when serving, 503 while starting or stopping: readiness (supernode API port and dfdaemon's port). */
  public static final String READY = "/_ready";
  /** GET → Prometheus text exposition ({@link #PROMETHEUS_TEXT}) (supernode API port and dfdaemon's port). */
  public static final String METRICS = "/metrics";
  /** The content type of {@link #METRICS}: Prometheus text format 0.0.4. */
  public static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  // ---- dashboard (supernode API port; read-only) ----
  /** GET → the dashboard's HTML page. */
  public static final String DASHBOARD = "/dashboard";
  /** GET → one of the page's files ({@code app.js}, {@code style.css}, {@code index.html}). */
  public static final String DASHBOARD_ASSET = "/dashboard/{file}";
  /** GET → the dashboard's feed: totals, throughput series and one row per task (JSON). */
  public static final String DASHBOARD_FEED = "/api/v1/dashboard";
  /** GET → one task's piece map for the dashboard: who holds which piece, with the peers gone from the task. */
  public static final String DASHBOARD_PIECES = "/api/v1/dashboard/tasks/{taskId}";

  // ---- preheat (supernode API port; admin operations, since 1.2) ----
  /**
   * POST {@code {"type":"image"|"file","url":…,"headers":{…},"image":…,"tag":…,"digest":…}} → {@code {"ID":…}}
   * (208 when the same content was already preheated): the Dragonfly 1 preheat contract Harbor speaks.
   */
  public static final String PREHEATS = "/preheats";
  /** GET → {@code {"ID","startTime","finishTime","errorMsg","status"}}, status WAITING|RUNNING|SUCCESS|FAILED. */
  public static final String PREHEAT = "/preheats/{id}";
  /** POST a Dragonfly 2 manager job ({@code {"type":"preheat","args":{…}}}) → the job; GET → every job. */
  public static final String OAPI_JOBS = "/oapi/v1/jobs";
  /** GET → one Dragonfly 2 manager job, {@code state} PENDING|SUCCESS|FAILURE. */
  public static final String OAPI_JOB = "/oapi/v1/jobs/{id}";
  /** GET → 200: the Dragonfly 2 manager's health route, which Harbor's newer driver checks. */
  public static final String HEALTHY = "/healthy";

  // ---- pieces (supernode port 8001, and every peer's upload port) ----
  /**
   * GET with {@code Range: bytes=a-b}: bytes of a task's file. Served only when the range lies
   * entirely in pieces the server holds verified; otherwise 416 (see {@link ErrorCode}).
   */
  public static final String FILE = "/peer/v1/tasks/{taskId}/file";

  /** GET → {@link PieceMap}: which pieces the server holds verified (peers' upload ports). */
  public static final String PIECE_MAP = "/peer/v1/tasks/{taskId}/pieces";

  /**
   * POST, no body (peers' upload ports, since 1.6): the caller got {@code piece} from this peer and it failed
   * its digest. The peer hashes its copy again (rate limited) and stops serving it when damaged; answers
   * {@code {"verdict":"DAMAGED"|"INTACT"|"NOT_CHECKED"}}.
   */
  public static final String PIECE_CHECK = "/peer/v1/tasks/{taskId}/pieces/{piece}/check";

  // ---- local API of a host's peer node (dfget server or dfdaemon), loopback only ----
  /**
   * POST {@link DownloadRequest} → {@code application/x-ndjson} stream of {@link ProgressEvent},
   * ending with one event of type {@code done} or {@code error}. Closing the connection cancels
   * the download (and removes its temporary file). With {@code ?progress=none} ({@link #LOCAL_PROGRESS},
   * {@link #LOCAL_PROGRESS_NONE}) the stream holds the final event only (a client that shows no progress).
   */
  public static final String LOCAL_DOWNLOADS = "/local/v1/downloads";
  /** Query parameter of {@link #LOCAL_DOWNLOADS}: which events the stream holds. */
  public static final String LOCAL_PROGRESS = "progress";
  /** {@link #LOCAL_PROGRESS} value: the final event only; the connection is still watched for a cancel. */
  public static final String LOCAL_PROGRESS_NONE = "none";
  /** GET → {@link NodeInfo}: which node serves this host. */
  public static final String LOCAL_NODE = "/local/v1/node";

  /** Sent by a downloading peer on piece requests, so uploads can be attributed. */
  public static final String HEADER_PEER_ID = "X-Damselfly-Peer";
  /**
   * The cluster secret, sent on every request to a supernode or a peer's upload port when the cluster
   * has one ({@code --cluster-secret}); a missing one gets 401, a wrong one 403.
   */
  public static final String HEADER_SECRET = "X-Damselfly-Secret";
  /** The protocol version, sent on every API response. */
  public static final String HEADER_PROTOCOL = "X-Damselfly-Protocol";

  /** The source id that names the supernode's CDN rather than a peer. */
  public static final String CDN_SOURCE = "cdn";

  private ProtocolV1() {}

  /** Fills a template's {@code {name}} parameters in order. */
  public static String path(String template, String... values) {
    StringBuilder out = new StringBuilder();
    int v = 0;
    int i = 0;
    while (i < template.length()) {
      char c = template.charAt(i);
      if (c == '{') {
        int end = template.indexOf('}', i);
        if (v >= values.length) {
          throw new IllegalArgumentException("template " + template + " needs more values");
        }
        out.append(java.net.URLEncoder.encode(values[v++], java.nio.charset.StandardCharsets.UTF_8));
        i = end + 1;
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }
}
