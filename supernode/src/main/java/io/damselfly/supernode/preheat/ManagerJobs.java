package io.damselfly.supernode.preheat;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.damselfly.transport.Request;
import io.damselfly.transport.Response;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Dragonfly 2 manager's job shapes ({@code /oapi/v1/jobs}) as newer Harbor releases send and read them:
 * a preheat job is created from {@code {"type":"preheat","args":{"type","url","headers","platform",…}}} and
 * reported with {@code state} PENDING (waiting or running), SUCCESS or FAILURE and a {@code result} listing the
 * warmed blobs or the error.
 */
final class ManagerJobs {
  /** The create request; fields Harbor sends that a single cluster does not need are accepted and ignored. */
  record CreateJob(String type, Args args, @JsonProperty("scheduler_cluster_ids") List<Long> schedulerClusterIds) {}

  record Args(String type, String url, String tag, @JsonProperty("filtered_query_params") String filteredQueryParams,
      Map<String, Object> headers, String scope, String platform) {}

  private final PreheatJobs jobs;

  ManagerJobs(PreheatJobs jobs) {
    this.jobs = jobs;
  }

  Response create(Request r) {
    CreateJob req = r.json(CreateJob.class);
    if (!"preheat".equals(req.type())) {
      throw new IllegalArgumentException("job type must be preheat, got '" + req.type() + "'");
    }
    Args a = req.args();
    if (a == null) {
      throw new IllegalArgumentException("args must be given");
    }
    if (a.type() != null && !a.type().equals("image") && !a.type().equals("file")) {
      throw new IllegalArgumentException("args.type must be image or file, got '" + a.type() + "'");
    }
    List<String> platforms = a.platform() == null || a.platform().isBlank() ? List.of() : List.of(a.platform());
    PreheatJobs.Submitted s = jobs.submit(new PreheatRequest(!"file".equals(a.type()), a.url(),
        PreheatRequest.headers(a.headers()), platforms, null));
    return Response.ok(view(s.job()));
  }

  Response list(Request r) {
    return Response.ok(jobs.all().stream().map(this::view).toList());
  }

  /** One job in the manager's shape. */
  Map<String, Object> view(PreheatJob j) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", j.number());
    out.put("created_at", j.created().toString());
    out.put("updated_at", j.updated().toString());
    out.put("task_id", "group_" + j.id());
    out.put("bio", "");
    out.put("type", "preheat");
    out.put("state", switch (j.state()) {
      case WAITING, RUNNING -> "PENDING";
      case SUCCESS -> "SUCCESS";
      case FAILED -> "FAILURE";
    });
    PreheatRequest req = j.request();
    out.put("args", Map.of("type", req.image() ? "image" : "file", "url", req.url()));
    out.put("result", result(j));
    return out;
  }

  private static Map<String, Object> result(PreheatJob j) {
    List<Map<String, Object>> success = new ArrayList<>();
    for (PreheatJob.Warmed w : j.warmed()) {
      success.add(Map.of("url", w.url(), "hostname", "supernode", "ip", "", "task_id", w.taskId()));
    }
    Map<String, Object> results = new LinkedHashMap<>();
    results.put("success_tasks", success);
    results.put("failure_tasks", List.of());
    results.put("scheduler_cluster_id", 1);
    Map<String, Object> state = new LinkedHashMap<>();
    state.put("error", j.state() == PreheatJob.State.FAILED ? j.error() : "");
    state.put("results", j.state() == PreheatJob.State.FAILED ? List.of() : List.of(results));
    return Map.of("job_states", List.of(state));
  }
}
