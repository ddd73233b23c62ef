package dev.junction.gatling;

import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.during;
import static io.gatling.javaapi.core.CoreDsl.pace;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;

import io.gatling.javaapi.core.ScenarioBuilder;
import java.time.Duration;
import java.util.Timer;
import java.util.TimerTask;

/**
 * One upstream failing during the load: two upstreams on the aggregate endpoint, every client
 * calling a tool of each in turn. A third of the way through, upstream {@code b} is stopped (its
 * port refuses connections from then on). Calls to {@code a} must all keep succeeding, and fast;
 * calls to {@code b} must fail (as JSON-RPC errors naming the upstream), which the assertions also
 * check, so the run proves that the failure happened. Settings: {@code -Dload.duration} (s),
 * {@code -Dload.users} (default 30), {@code -Dload.paceMs} (default 100).
 */
public class UpstreamFailureSimulation extends LoadSimulation {
  private static final String VERSION = "2025-11-25";
  private static final String ARGS = "{\"text\": \"hello\"}";

  private final Timer timer = new Timer("stop upstream b", true);
  private final Duration duration = Mcp.duration();

  public UpstreamFailureSimulation() {
    super("\"a\": \"stub\", \"b\": \"stub\"", "\"pool\": {\"maxInFlightPerTenant\": 1000}");
    ScenarioBuilder clients = scenario("session clients, a and b")
        .exec(Mcp.tenantOf("fail", 8))
        .exec(Mcp.open(VERSION))
        .exec(during(duration).on(pace(Mcp.callPace()).exec(
            Mcp.call("tools/call a (stays up)", VERSION, "a_echo", ARGS),
            // after the stop b's calls fail; a failed request does not end the client's loop
            Mcp.call("tools/call b (stopped)", VERSION, "b_echo", ARGS))))
        .exec(Mcp.close(VERSION));
    setUp(clients.injectOpen(rampUsers(Mcp.setting("load.users", 30)).during(5)))
        .protocols(Mcp.protocol(target))
        .assertions(
            details("tools/call a (stays up)").failedRequests().count().is(0L),
            details("tools/call a (stays up)").responseTime().percentile(99.0).lt(Mcp.setting("load.p99Ms", 1000)),
            // before the stop b answers; after it, every call fails
            details("tools/call b (stopped)").successfulRequests().count().gt(0L),
            details("tools/call b (stopped)").failedRequests().percent().gt(40.0));
  }

  @Override
  public void before() {
    super.before();
    timer.schedule(new TimerTask() {
      @Override
      public void run() {
        target.command("stop b");
      }
    }, duration.toMillis() / 3);
  }

  @Override
  public void after() {
    timer.cancel();
    super.after();
  }
}
