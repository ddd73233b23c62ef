package dev.junction.gatling;

import static io.gatling.javaapi.core.CoreDsl.StringBody;
import static io.gatling.javaapi.core.CoreDsl.details;
import static io.gatling.javaapi.core.CoreDsl.doIf;
import static io.gatling.javaapi.core.CoreDsl.during;
import static io.gatling.javaapi.core.CoreDsl.exec;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.pace;
import static io.gatling.javaapi.core.CoreDsl.rampUsers;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.header;
import static io.gatling.javaapi.http.HttpDsl.http;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Session;
import java.time.Duration;
import java.util.List;
import java.util.Timer;
import java.util.TimerTask;

/**
 * A node of a three-node cluster killed under session-based load (cluster mode, README). Each
 * client initializes its session on one node (clients are spread over the three) and sends every
 * call to the next node in turn, as a Service without session affinity would, so most calls are
 * forwarded to the session's owner. A third of the way through, node 2 is killed with SIGKILL, and
 * from then on the simulated load balancer sends to nodes 0 and 1 only. Calls of the sessions owned
 * by nodes 0 and 1 sent to those nodes must all succeed, before and after the kill; node 2's
 * sessions end (404, or -32603 for a call in flight at the kill) and their clients initialize a new
 * session on a surviving node, which the assertions also check, so the run proves that the kill
 * happened. Calls sent to node 2 itself are counted apart: those in flight at the kill fail with
 * it. Settings: {@code -Dload.duration} (s), {@code -Dload.users} (default 30),
 * {@code -Dload.paceMs} (default 100), {@code -Dload.p99Ms} (default 1000).
 */
public class ClusterNodeLossSimulation extends LoadSimulation {
  private static final String VERSION = "2025-11-25";
  private static final int NODES = 3;
  private static final int VICTIM = 2;
  private static final String SURVIVING = "tools/call, a surviving node's session";
  private static final String VICTIMS = "tools/call, node 2's session";
  private static final String THROUGH_VICTIM = "tools/call sent to node 2";
  private static final String ARGS = "{\"text\": \"hello\"}";

  private final Timer timer = new Timer("kill node 2", true);
  private final Duration duration = Mcp.duration();
  /** Set by the timer thread when node 2 is killed; read by Gatling's threads. */
  private volatile boolean killed;

  public ClusterNodeLossSimulation() {
    super(NODES, "\"stub\": \"stub\"", "\"pool\": {\"maxInFlightPerTenant\": 1000}");
    ScenarioBuilder clients = scenario("session clients over three nodes")
        .exec(Mcp.tenantOf("cluster", 8))
        .exec(open())
        .exec(during(duration).on(pace(Mcp.callPace()).exec(
            exec(this::route),
            call(),
            // a client whose session ended initializes a new one, as MCP asks of it
            doIf(s -> !s.contains("sid") || s.contains("status") && s.getInt("status") == 404)
                .then(open()))));
    setUp(clients.injectOpen(rampUsers(Mcp.setting("load.users", 30)).during(5)))
        .protocols(Mcp.protocol(target))
        .assertions(
            details(SURVIVING).failedRequests().count().is(0L),
            details(SURVIVING).responseTime().percentile(99.0).lt(Mcp.setting("load.p99Ms", 1000)),
            details(SURVIVING).successfulRequests().count().gt(0L),
            // before the kill node 2's sessions answer; after it they end
            details(VICTIMS).successfulRequests().count().gt(0L),
            details(VICTIMS).failedRequests().count().gt(0L));
  }

  /** The nodes the load balancer sends to. */
  private List<Integer> alive() {
    return killed ? List.of(0, 1) : List.of(0, 1, 2);
  }

  /** initialize and notifications/initialized on a live node, which owns the session; saves {@code sid}. */
  private ChainBuilder open() {
    String init = "{\"jsonrpc\": \"2.0\", \"id\": 0, \"method\": \"initialize\", \"params\": {\"protocolVersion\": \""
        + VERSION + "\", \"capabilities\": {}, \"clientInfo\": {\"name\": \"gatling\", \"version\": \"1\"}}}";
    return exec(s -> {
      List<Integer> alive = alive();
      int owner = alive.get((int) (s.userId() % alive.size()));
      return s.remove("sid").remove("status").set("owner", owner).set("home", target.baseUrl(owner));
    })
        .exec(http("initialize").post("#{home}/mcp").header("x-tenant-id", "#{tenant}")
            .body(StringBody(init))
            .check(status().is(200), header("Mcp-Session-Id").saveAs("sid")))
        .exec(http("initialized").post("#{home}/mcp").header("x-tenant-id", "#{tenant}")
            .header("Mcp-Session-Id", "#{sid}").header("MCP-Protocol-Version", VERSION)
            .body(StringBody("{\"jsonrpc\": \"2.0\", \"method\": \"notifications/initialized\"}"))
            .check(status().is(202)));
  }

  /** The next live node for this client's call, and the name its call is counted under. */
  private Session route(Session s) {
    int n = s.contains("n") ? s.getInt("n") + 1 : 0;
    List<Integer> alive = alive();
    int via = alive.get((int) ((s.userId() + n) % alive.size()));
    int owner = s.getInt("owner");
    String name = via == VICTIM ? THROUGH_VICTIM : owner == VICTIM ? VICTIMS : SURVIVING;
    return s.set("n", n).set("via", target.baseUrl(via)).set("callName", name);
  }

  private static ChainBuilder call() {
    return exec(http("#{callName}").post("#{via}/mcp").header("x-tenant-id", "#{tenant}")
        .header("Mcp-Session-Id", "#{sid}").header("MCP-Protocol-Version", VERSION)
        .body(StringBody("{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\": \"tools/call\", \"params\": "
            + "{\"name\": \"stub_echo\", \"arguments\": " + ARGS + "}}"))
        // the status is kept first, so that a 404 (the session ended) is seen even though the call failed
        .check(status().in(200, 404).saveAs("status"), jsonPath("$.result").exists(),
            jsonPath("$.error").notExists()));
  }

  @Override
  public void before() {
    super.before();
    timer.schedule(new TimerTask() {
      @Override
      public void run() {
        killed = true;
        target.command("kill " + VICTIM);
      }
    }, duration.toMillis() / 3);
  }

  @Override
  public void after() {
    timer.cancel();
    super.after();
  }
}
