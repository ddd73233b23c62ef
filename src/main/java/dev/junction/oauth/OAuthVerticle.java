package dev.junction.oauth;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import dev.junction.bus.Addresses;
import dev.junction.bus.ConfigChanged;
import dev.junction.bus.CredentialsChanged;
import dev.junction.bus.Credentials;
import dev.junction.bus.CredentialsReply;
import dev.junction.bus.CredentialsRequest;
import dev.junction.bus.InboundKeys;
import dev.junction.bus.Introspect;
import dev.junction.bus.IntrospectReply;
import dev.junction.bus.KeySet;
import dev.junction.bus.KeysQuery;
import dev.junction.bus.RefreshCredentials;
import dev.junction.config.AuthOptions;
import dev.junction.config.ConfigChange;
import dev.junction.config.JunctionConfig;
import dev.junction.config.UpstreamAuthOptions;
import dev.junction.config.UpstreamOptions;
import dev.junction.error.JunctionException;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns credentials, both ways. Inbound: the issuer's metadata and signature keys, published to
 * the ingress instances, and introspection of opaque client tokens. Outbound: what shards send
 * upstream ({@link UpstreamTokens}, with {@link SecretFiles} for mounted secrets). The client's
 * own token goes upstream only with {@code passthrough}, which must be configured explicitly and
 * is warned about at start. Secret values are never logged. One instance.
 */
public final class OAuthVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(OAuthVerticle.class);
  private static final long SWEEP_MS = 60_000;

  // replaced by each new config version (configure), on this verticle's context
  private JunctionConfig config;

  // Owned by this verticle's context.
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private WebClient web;
  private SecretFiles files;
  private IssuerKeys issuer;
  private UpstreamTokens tokens;
  private long sweeper = -1;

  public OAuthVerticle(JunctionConfig config) {
    this.config = config;
  }

  @Override
  public Future<?> start() {
    web = WebClient.create(vertx, new WebClientOptions().setConnectTimeout((int) Http.TIMEOUT_MS)
        .setUserAgent("junction"));
    Http http = new Http(web);
    files = new SecretFiles(vertx, config);
    tokens = new UpstreamTokens(vertx, http, config, this::staticHeaders);
    for (UpstreamOptions u : config.upstreams().values()) {
      if (u.auth().mode() == UpstreamAuthOptions.Mode.PASSTHROUGH) {
        LOG.warn("upstream {}: auth passthrough sends clients' own tokens upstream; the MCP authorization spec forbids"
            + " it (token passthrough); use token-exchange where the upstream's authorization server allows", u.name());
      }
    }
    var bus = vertx.eventBus();
    consumers.add(bus.<CredentialsRequest>localConsumer(Addresses.OAUTH_TOKEN, m -> reply(m,
        tokens.credentials(m.body().upstream(), m.body().tenantKey(), m.body().subjectToken()))));
    consumers.add(bus.<RefreshCredentials>localConsumer(Addresses.OAUTH_REFRESH, m -> reply(m,
        tokens.refresh(m.body()))));
    consumers.add(bus.<ConfigChanged>localConsumer(Addresses.CONFIG_CHANGED, m -> configure(m.body().config())));
    AuthOptions auth = config.auth();
    if (auth.oauth()) {
      issuer = new IssuerKeys(vertx, http, auth);
      consumers.add(bus.<KeysQuery>localConsumer(Addresses.OAUTH_KEYS_QUERY,
          m -> issuer.forKid(m.body().kid()).onComplete(ar -> m.reply(new InboundKeys(issuer.keys())))));
      // an introspection endpoint that cannot answer is not a "no": the client gets 503, not 401
      consumers.add(bus.<Introspect>localConsumer(Addresses.OAUTH_INTROSPECT,
          m -> introspect(http, auth, m.body().token()).onComplete(ar -> {
            if (ar.succeeded()) {
              m.reply(ar.result());
            } else {
              LOG.warn("introspection failed ({})", ar.cause().getMessage());
              m.reply(IntrospectReply.unavailable());
            }
          })));
    }
    sweeper = vertx.setPeriodic(SWEEP_MS, t -> tokens.sweep());
    return Future.join(consumers.stream().map(MessageConsumer::completion).toList())
        .compose(v -> auth.oauth() ? vertx.executeBlocking(OAuthVerticle::warmUp, false) : Future.succeededFuture())
        .compose(v -> files.start())
        .onSuccess(v -> {
          if (issuer != null) {
            issuer.start();
          }
        });
  }

  @Override
  public Future<?> stop() {
    vertx.cancelTimer(sweeper);
    files.stop();
    tokens.stop();
    if (issuer != null) {
      issuer.stop();
    }
    web.close();
    return Future.succeededFuture();
  }

  /**
   * Loads the security providers and the JWKS parser once, off the event loop, by reading a key set
   * made here: their first use takes a few hundred milliseconds, which must not land on the event
   * loop that reads the issuer's keys.
   */
  private static Void warmUp() throws GeneralSecurityException {
    KeyFactory.getInstance("RSA");
    KeyFactory.getInstance("Ed25519");
    KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
    ec.initialize(new ECGenParameterSpec("secp256r1"));
    ECKey sample = new ECKey.Builder(Curve.P_256, (ECPublicKey) ec.generateKeyPair().getPublic()).keyID("warm-up")
        .build();
    KeySet.parse(new JsonObject().put("keys", new JsonArray().add(new JsonObject(sample.toJSONObject()))), 0);
    return null;
  }

  /**
   * A new config version: upstream credentials follow it (tokens of removed and changed upstreams
   * are forgotten, header files read again). The issuer stays: changing it needs a restart.
   */
  private void configure(JunctionConfig next) {
    ConfigChange change = ConfigChange.between(config, next);
    List<String> stale = new ArrayList<>(change.removed());
    stale.addAll(change.changed());
    config = next;
    tokens.configure(next, stale);
    files.configure(next);
    // a shard may have asked between its own reload and this one, and cached the old credentials
    change.changed().forEach(u -> vertx.eventBus().publish(Addresses.CREDENTIALS_CHANGED,
        new CredentialsChanged(u, null)));
  }

  private Map<String, String> staticHeaders(String upstream) {
    UpstreamOptions u = config.upstreams().get(upstream);
    Map<String, String> headers = new LinkedHashMap<>(u == null ? Map.of() : u.headers());
    headers.putAll(files.values(upstream));
    return headers;
  }

  /**
   * Replies with the credentials, or with a refusal whose words name no secret: the failure's own
   * message, or a log reference when it has none (never a class name).
   */
  private static void reply(Message<?> m, Future<Credentials> credentials) {
    credentials.onComplete(ar -> {
      if (ar.succeeded()) {
        m.reply(CredentialsReply.granted(ar.result()));
      } else {
        String why = ar.cause().getMessage();
        m.reply(CredentialsReply.refused(why == null || why.isBlank() ? JunctionException.describe(ar.cause()) : why));
      }
    });
  }

  /** RFC 7662 at the configured (or advertised) introspection endpoint. */
  private Future<IntrospectReply> introspect(Http http, AuthOptions auth, String token) {
    String url = auth.introspectionUrl() != null ? auth.introspectionUrl()
        : issuer.metadata() == null ? null : issuer.metadata().getString("introspection_endpoint");
    if (!auth.introspection() || url == null) {
      return Future.succeededFuture(IntrospectReply.answered(false, new JsonObject()));
    }
    MultiMap form = MultiMap.caseInsensitiveMultiMap().set("token", token).set("token_type_hint", "access_token");
    return http.form(url, form, auth.introspectionClientId(), auth.introspectionClientSecret())
        .map(json -> IntrospectReply.answered(json.getBoolean("active", false), json));
  }
}
