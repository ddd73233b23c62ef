package dev.junction.config;

import static dev.junction.binding.Key.Unit.MILLIS;

import dev.junction.binding.Binder;
import dev.junction.binding.Key;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How the health verticle watches an upstream: probes, the failure threshold that opens its
 * circuit, reconnect backoff, and failback. Set under {@code health:} for every upstream and
 * under {@code upstreams.<name>.health:} for one. Immutable.
 */
public record HealthOptions(
    @Key(name = "probeInterval", value = "15s", unit = MILLIS, min = 0, must = "be a duration such as 30s"
        + " (0 turns probes off)", doc = "Probe healthy upstreams this often; 0: off (reconnects still probe).")
    long probeIntervalMs,
    @Key(name = "probeTimeout", value = "5s", unit = MILLIS, doc = "How long one step of a probe may take.")
    long probeTimeoutMs,
    @Key(value = "3", doc = "Consecutive failures (calls, session starts, probes) that open the circuit.")
    int failureThreshold,
    @Key(name = "reconnect.initialDelay", value = "1s", unit = MILLIS, doc = "The first delay between probes of"
        + " an open circuit.") long initialDelayMs,
    @Key(name = "reconnect.maxDelay", value = "60s", unit = MILLIS, doc = "The longest delay.") long maxDelayMs,
    @Key(name = "reconnect.multiplier", value = "2", must = "be at least 1, got %s",
        doc = "Each delay is the last one times this.") double multiplier,
    @Key(name = "reconnect.jitter", value = "0.2", min = 0, max = 1, must = "be between 0 and 1, got %s",
        doc = "Each delay is varied at random by up to this fraction, so replicas do not reconnect in step.")
    double jitter,
    @Key(name = "failbackAfter", value = "30s", unit = MILLIS, doc = "How long a recovered primary must stay"
        + " healthy before traffic moves back from a backup.") long failbackAfterMs) implements Binder.Checked {

  @Override
  public void check(Binder.Section s) {
    // only where either is written, so that one bad top-level section is not reported per upstream
    if ((s.has("reconnect.initialDelay") || s.has("reconnect.maxDelay")) && maxDelayMs < initialDelayMs) {
      s.error("reconnect.maxDelay", "must not be less than initialDelay");
    }
  }

  /**
   * The wait before reconnect attempt {@code attempt} (0 for the first): the initial delay times
   * the multiplier per earlier attempt, capped at the maximum, varied by the jitter.
   */
  public long reconnectDelayMs(int attempt) {
    double base = Math.min(maxDelayMs, initialDelayMs * Math.pow(multiplier, Math.min(attempt, 62)));
    double varied = base * (1 + jitter * (2 * ThreadLocalRandom.current().nextDouble() - 1));
    return Math.max(1, Math.round(Math.min(maxDelayMs, varied)));
  }
}
