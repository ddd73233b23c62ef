package dev.junction.bus;

import java.util.Map;

/** The health verticle's answer to a readiness query: overall and per-upstream state. */
public record Readiness(boolean ready, Map<String, String> upstreams) implements BusMessage {
  public Readiness {
    upstreams = Map.copyOf(upstreams);
  }
}
