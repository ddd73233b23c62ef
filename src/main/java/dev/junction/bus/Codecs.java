package dev.junction.bus;

import dev.junction.health.CallOutcome;
import dev.junction.health.GatewayStarted;
import dev.junction.health.ProbeRequest;
import dev.junction.ingress.PoolSnapshot;
import dev.junction.pool.AdminQuery;
import dev.junction.pool.CircuitChange;
import dev.junction.pool.CredentialsChanged;
import dev.junction.health.ReadyQuery;
import dev.junction.health.UpstreamReport;
import dev.junction.ingress.Readiness;
import dev.junction.ingress.RelayReply;
import dev.junction.ingress.StreamEvent;
import dev.junction.oauth.CredentialsRequest;
import dev.junction.pool.Credentials;
import dev.junction.pool.HealthChange;
import dev.junction.pool.RelayRequest;
import dev.junction.pool.SessionCommand;
import io.vertx.core.eventbus.EventBus;
import java.util.List;

/** Registers a pass-by-reference codec for every message record (codecs are looked up by exact class). */
public final class Codecs {
  static final List<Class<?>> MESSAGES = List.of(RelayRequest.class, SessionCommand.class, RelayReply.class,
      StreamEvent.class, Credentials.class, CredentialsRequest.class, UpstreamReport.class, HealthChange.class,
      ReadyQuery.class, Readiness.class, GatewayStarted.class, CircuitChange.class, CallOutcome.class,
      ProbeRequest.class, PoolSnapshot.class, AdminQuery.class, CredentialsChanged.class);

  private Codecs() {
  }

  /** Registers every codec on the event bus; call once per Vert.x instance. */
  public static void register(EventBus bus) {
    MESSAGES.forEach(type -> registerOne(bus, type));
  }

  private static <T> void registerOne(EventBus bus, Class<T> type) {
    bus.registerDefaultCodec(type, new LocalCodec<>(type));
  }
}
