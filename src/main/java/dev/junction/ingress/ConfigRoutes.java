package dev.junction.ingress;

import dev.junction.bus.Addresses;
import dev.junction.bus.ConfigChanged;
import dev.junction.bus.ReloadConfig;
import dev.junction.bus.ReloadReply;
import dev.junction.config.JunctionConfig;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code POST /admin/reload} (reads the config file again: 200 with the outcome, the version that
 * runs and what needs a restart, or 400 with every error of an invalid file) and
 * {@code GET /admin/config} (the effective config, secrets masked, and its version). Both need the
 * admin token. Owned by the mounting verticle's context, which applies each new config version.
 */
final class ConfigRoutes {
  /** A reload reads and validates one file; it answers well within this. */
  private static final long RELOAD_TIMEOUT_MS = 30_000;

  private final Vertx vertx;
  private final AdminHandler admin;
  // owned by the mounting verticle's context
  private JunctionConfig config;
  private long version = 1;

  ConfigRoutes(Vertx vertx, JunctionConfig config, AdminHandler admin) {
    this.vertx = vertx;
    this.config = config;
    this.admin = admin;
  }

  /** A new config version runs. */
  void changed(ConfigChanged change) {
    config = change.config();
    version = change.version();
  }

  /** The config version this node runs. */
  long version() {
    return version;
  }

  void show(RoutingContext rc) {
    if (!admin.allowed(rc)) {
      return;
    }
    rc.response().putHeader("Content-Type", "application/json")
        .end(new JsonObject().put("version", version).put("config", config.toJson()).encode());
  }

  void reload(RoutingContext rc) {
    if (!admin.allowed(rc)) {
      return;
    }
    vertx.eventBus().<ReloadReply>request(Addresses.CONFIG_RELOAD, new ReloadConfig("admin"),
        new DeliveryOptions().setSendTimeout(RELOAD_TIMEOUT_MS)).onComplete(ar -> {
          if (ar.failed()) {
            rc.response().setStatusCode(503).putHeader("Content-Type", "application/json")
                .end(new JsonObject().put("outcome", "unavailable").encode());
            return;
          }
          ReloadReply r = ar.result().body();
          JsonObject body = new JsonObject().put("outcome", r.outcome()).put("version", r.version())
              .put("needsRestart", new JsonArray(r.needsRestart()));
          if (!r.accepted()) {
            body.put("errors", new JsonArray(r.errors()));
          }
          rc.response().setStatusCode(r.accepted() ? 200 : 400).putHeader("Content-Type", "application/json")
              .end(body.encode());
        });
  }
}
