package dev.junction.oauth;

import dev.junction.bus.Addresses;
import dev.junction.config.JunctionConfig;
import dev.junction.config.UpstreamOptions;
import dev.junction.pool.Credentials;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.util.Map;

/**
 * Owns upstream credentials. Shards ask it for the headers to open an upstream session with; the
 * client's own token is never among them. For now every upstream uses the static {@code headers}
 * of its config; token grants, caches and refresh timers arrive with the authentication issue and
 * live here. One instance.
 */
public final class OAuthVerticle extends VerticleBase {
  private final JunctionConfig config;

  public OAuthVerticle(JunctionConfig config) {
    this.config = config;
  }

  @Override
  public Future<?> start() {
    return vertx.eventBus().<CredentialsRequest>localConsumer(Addresses.OAUTH_TOKEN, m -> {
      UpstreamOptions upstream = config.upstreams().get(m.body().upstream());
      m.reply(new Credentials(upstream == null ? Map.of() : upstream.headers()));
    }).completion();
  }
}
