package dev.junction.bus;

import dev.junction.health.CallOutcome;
import dev.junction.health.GatewayStarted;
import dev.junction.health.ProbeResult;
import dev.junction.health.ProcessSlot;
import dev.junction.health.UpstreamsQuery;
import dev.junction.health.UpstreamsView;
import dev.junction.ingress.PoolSnapshot;
import dev.junction.pool.AdminQuery;
import dev.junction.pool.ProbeUpstream;
import dev.junction.pool.CredentialsChanged;
import dev.junction.health.ReadyQuery;
import dev.junction.ingress.Readiness;
import dev.junction.ingress.RelayReply;
import dev.junction.ingress.StreamEvent;
import dev.junction.ingress.InboundKeys;
import dev.junction.ingress.Introspection;
import dev.junction.oauth.CredentialsRequest;
import dev.junction.oauth.Introspect;
import dev.junction.oauth.KeysQuery;
import dev.junction.oauth.RefreshCredentials;
import dev.junction.pool.Credentials;
import dev.junction.pool.HealthChange;
import dev.junction.pool.RelayRequest;
import dev.junction.pool.SessionCommand;
import io.vertx.core.eventbus.EventBus;
import java.util.List;

/** Registers a pass-by-reference codec for every message record (codecs are looked up by exact class). */
public final class Codecs {
  static final List<Class<?>> MESSAGES = List.of(RelayRequest.class, SessionCommand.class, RelayReply.class,
      StreamEvent.class, Credentials.class, CredentialsRequest.class, HealthChange.class,
      ReadyQuery.class, Readiness.class, GatewayStarted.class, CallOutcome.class, ProbeUpstream.class,
      ProbeResult.class, ProcessSlot.class, UpstreamsQuery.class, UpstreamsView.class,
      PoolSnapshot.class, AdminQuery.class, CredentialsChanged.class, Heartbeat.class, KeysQuery.class,
      InboundKeys.class, Introspect.class, Introspection.class, RefreshCredentials.class);

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
