package io.damselfly.cli;

import io.damselfly.cli.node.NodeSpawner;
import io.damselfly.cli.render.Summary;
import java.util.Arrays;

/**
 * {@code dfget}: validates the flags, hands the download to the host's peer node (a dfdaemon, the home's
 * running node, or one it starts) and prints progress and one summary line. {@code dfget server} runs the
 * node itself.
 */
public final class DfgetMain {
  private DfgetMain() {}

  public static void main(String[] args) throws InterruptedException {
    int code = run(args, CliEnv.system(), NodeSpawner.fromThisJvm());
    System.out.flush();
    System.exit(code);
  }

  /**
   * Runs dfget with {@code args} in {@code env}; returns the exit code. No logger is touched before the
   * flags are validated, so Logback starts with the home's log directory.
   */
  public static int run(String[] args, CliEnv env, NodeSpawner spawner) throws InterruptedException {
    if (args.length > 0 && args[0].equals("server")) {
      ServerCommand server = new ServerCommand();
      Integer early = PicocliFlags.parse(server, Arrays.copyOfRange(args, 1, args.length), env, "dfget server --help");
      return early != null ? early : server.run(env);
    }
    DfgetOptions options = new DfgetOptions();
    if (!FastFlags.read(args, options)) {
      options = new DfgetOptions();
      Integer early = PicocliFlags.parse(options, args, env, "dfget --help");
      if (early != null) {
        return early;
      }
    }
    DownloadPlan plan;
    try {
      plan = PlanBuilder.build(options, env);
    } catch (CliException e) {
      env.err().println(Summary.error(e.getMessage()));
      return e.exit().code();
    }
    // Logback reads these only if a node ends up embedded in this process; dfget itself logs with ClientLog
    LogSetup.configure(plan.home().resolve("logs"), "dfget", plan.console());
    ClientLog log = new ClientLog(plan.home().resolve("logs"), "dfget", plan.console(), env.err());
    return new DownloadRunner(env, spawner, log).run(plan);
  }
}
