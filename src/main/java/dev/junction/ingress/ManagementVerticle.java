package dev.junction.ingress;

import dev.junction.bus.Addresses;
import dev.junction.bus.ConfigChanged;
import dev.junction.bus.DrainStarted;
import dev.junction.config.JunctionConfig;
import dev.junction.config.ManagementOptions;
import dev.junction.error.JunctionError;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;

/**
 * The management listener ({@code management: {host, port}}): {@code /healthz}, {@code /readyz},
 * {@code /metrics} and {@code /admin/*}, apart from the MCP port. One instance; it stays up while
 * the MCP listeners drain, so probes keep their answers until the process ends. The Host check of
 * the MCP port holds here too: a page on a rebinding name must not read {@code /metrics} either.
 */
public final class ManagementVerticle extends VerticleBase {
  private final JunctionConfig config;
  private HttpServer server;

  public ManagementVerticle(JunctionConfig config) {
    this.config = config;
  }

  @Override
  public Future<?> start() {
    ManagementOptions management = config.management();
    OperationsRoutes operations = new OperationsRoutes(vertx, config);
    Router router = Router.router(vertx);
    operations.mount(router);
    vertx.eventBus().<ConfigChanged>localConsumer(Addresses.CONFIG_CHANGED, m -> operations.changed(m.body()));
    vertx.eventBus().<DrainStarted>localConsumer(Addresses.DRAIN, m -> operations.drain());
    HostPolicy hosts = new HostPolicy(config);
    // port 0 as it is: a negative port would share the MCP listeners' random port
    return vertx.createHttpServer().requestHandler(req -> {
      if (!hosts.allows(req)) {
        Refusal.send(req, JunctionError.FORBIDDEN_HOST, null);
        return;
      }
      router.handle(req);
    }).listen(management.port(), management.host())
        .onSuccess(s -> server = s);
  }

  /** The bound port (useful when the config says 0). */
  public int actualPort() {
    return server == null ? -1 : server.actualPort();
  }
}
