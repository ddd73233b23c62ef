package dev.junction.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.micrometer.backends.BackendRegistries;
import java.util.Set;

/**
 * Junction's own meters, on the registry Vert.x scrapes at {@code /metrics}. Labels never carry
 * tenant or session identities, and method names are bounded to the protocol's own (anything else
 * is {@code other}) so a client cannot grow the label space. Meter registries are thread-safe.
 */
public final class JunctionMetrics {
  private static final Set<String> KNOWN_METHODS = Set.of("initialize", "ping", "tools/list", "tools/call",
      "prompts/list", "prompts/get", "resources/list", "resources/templates/list", "resources/read",
      "resources/subscribe", "resources/unsubscribe", "completion/complete", "logging/setLevel",
      "server/discover", "notifications/initialized", "notifications/cancelled", "notifications/roots/list_changed");

  private final MeterRegistry registry;

  private JunctionMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** The registry Vert.x was built with, or a private one when metrics are off (tests). */
  public static JunctionMetrics create() {
    MeterRegistry registry = BackendRegistries.getDefaultNow();
    return new JunctionMetrics(registry != null ? registry : new SimpleMeterRegistry());
  }

  /** Counts one downstream message. */
  public void request(String method, boolean stateless) {
    String label = method == null ? "response" : KNOWN_METHODS.contains(method) ? method : "other";
    Counter.builder("junction.requests")
        .description("Downstream JSON-RPC messages received")
        .tag("method", label)
        .tag("generation", stateless ? "stateless" : "session")
        .register(registry)
        .increment();
  }

  /** Counts an upstream left out of an aggregate list (fail-open). Upstream names come from config. */
  public void upstreamLeftOut(String upstream) {
    Counter.builder("junction.upstream.left.out")
        .description("Upstreams left out of aggregate lists because they failed or were too slow")
        .tag("upstream", upstream)
        .register(registry)
        .increment();
  }

  /** Counts a list_changed notification sent to a client, or suppressed as a duplicate. */
  public void listChanged(String upstream, boolean sent) {
    Counter.builder("junction.list.changed")
        .description("Upstream list changes relayed to clients (sent) or deduplicated (suppressed)")
        .tag("upstream", upstream)
        .tag("outcome", sent ? "sent" : "suppressed")
        .register(registry)
        .increment();
  }
}
