package dev.junction.testkit;

import dev.junction.Junction;
import dev.junction.config.ConfigLoader;
import dev.junction.config.JunctionConfig;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A gateway started for a test on a free loopback port. The config is given as JSON (YAML's
 * subset), so tests build it with {@link JsonObject}; {@code listen} is filled in.
 */
public final class Gateway implements AutoCloseable {
  /** Tests fail on an event loop blocked for longer than this (see {@link LogWatch}). */
  public static final long MAX_EVENT_LOOP_MS = 200;

  private final Junction junction;

  private Gateway(Junction junction) {
    this.junction = junction;
  }

  /**
   * Starts a gateway with these upstreams (the value of {@code upstreams:}) and extra top-level
   * keys, merged deeply. Periodic health probes are off unless the extra keys set
   * {@code health.probeInterval}: a probe opens a session of its own, and most tests count
   * sessions. Without an {@code auth} section the gateway takes tenants from identity headers
   * ({@code auth.unauthenticated: allow}).
   */
  public static Gateway start(JsonObject upstreams, JsonObject extra) {
    JsonObject config = new JsonObject()
        .put("listen", new JsonObject().put("host", "127.0.0.1").put("port", 0))
        .put("shards", 2)
        .put("ingressInstances", 2)
        .put("upstreams", upstreams)
        .put("health", new JsonObject().put("probeInterval", "0s"));
    if (extra == null || !extra.containsKey("auth")) {
      config.put("auth", new JsonObject().put("unauthenticated", "allow"));
    }
    if (extra != null) {
      config.mergeIn(extra, true);
    }
    JunctionConfig parsed = new ConfigLoader().parse(config.encode());
    return new Gateway(Junction.start(parsed, options()).await());
  }

  /**
   * Starts a gateway from a config file, as {@code --config FILE} does: the file is watched
   * (per its {@code reload:} section) and {@code POST /admin/reload} reads it again.
   */
  public static Gateway fromFile(Path file) {
    JunctionConfig parsed = new ConfigLoader().load(file);
    return new Gateway(Junction.start(parsed, options(), file).await());
  }

  private static VertxOptions options() {
    return new VertxOptions()
        .setMaxEventLoopExecuteTime(MAX_EVENT_LOOP_MS)
        .setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS)
        .setBlockedThreadCheckInterval(100)
        .setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS)
        // the warning carries the blocked thread's stack, so a failure says where it was
        .setWarningExceptionTime(MAX_EVENT_LOOP_MS)
        .setWarningExceptionTimeUnit(TimeUnit.MILLISECONDS);
  }

  public static Gateway start(JsonObject upstreams) {
    return start(upstreams, null);
  }

  /** A stdio upstream entry running the test kit's SDK server under {@code name}. */
  public static JsonObject stdio(String name) {
    return new JsonObject().put("transport", "stdio").put("command", SdkStdioServer.command(name));
  }

  /** A Streamable HTTP upstream entry. */
  public static JsonObject http(String url) {
    return new JsonObject().put("transport", "streamable-http").put("url", url);
  }

  public int port() {
    return junction.port();
  }

  /** The URL of a path on the gateway, e.g. {@code /mcp}. */
  public String url(String path) {
    return "http://127.0.0.1:" + port() + path;
  }

  public Junction junction() {
    return junction;
  }

  @Override
  public void close() {
    junction.close().await();
  }
}
