package dev.junction.gatling;

import static io.gatling.javaapi.core.CoreDsl.global;

import io.gatling.javaapi.core.Assertion;
import io.gatling.javaapi.core.Simulation;

/**
 * A simulation that starts what it loads: its upstreams and the gateway, through {@link Target},
 * before the load, and stops them after it.
 */
abstract class LoadSimulation extends Simulation {
  /** The gateway (or cluster) and upstreams under load; its ports are chosen at construction. */
  final Target target;
  private final String upstreams;
  private final String extraConfig;

  /** See {@link Target#start(String, String)} for the two arguments. */
  LoadSimulation(String upstreams, String extraConfig) {
    this(1, upstreams, extraConfig);
  }

  /** As {@link #LoadSimulation(String, String)}, with {@code nodes} gateway nodes in one cluster. */
  LoadSimulation(int nodes, String upstreams, String extraConfig) {
    this.target = new Target(nodes);
    this.upstreams = upstreams;
    this.extraConfig = extraConfig;
  }

  /** At most 0.1 % failed requests, and a p99 under {@code -Dload.p99Ms} (default {@code p99Ms}). */
  static Assertion[] healthy(int p99Ms) {
    return new Assertion[] {
        global().failedRequests().percent().lte(0.1),
        global().responseTime().percentile(99.0).lt(Mcp.setting("load.p99Ms", p99Ms))};
  }

  @Override
  public void before() {
    target.start(upstreams, extraConfig);
  }

  @Override
  public void after() {
    target.close();
  }
}
