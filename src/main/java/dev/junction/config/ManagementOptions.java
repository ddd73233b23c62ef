package dev.junction.config;

import io.vertx.core.json.JsonObject;

/**
 * The management listener ({@code management: {host, port}}): {@code /healthz}, {@code /readyz},
 * {@code /metrics} and {@code /admin/*} are served there and no longer on the MCP port, so that
 * probes and scrapes can be let in where MCP clients are not (a NetworkPolicy, a firewall).
 *
 * @param host the address to bind; the listen host when the key is absent
 * @param port the port; 0 picks a free one (tests)
 */
public record ManagementOptions(String host, int port) {
  public ManagementOptions {
    if (host == null || host.isBlank()) {
      throw new IllegalArgumentException("management.host must not be empty");
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("management.port must be 0..65535");
    }
  }

  /** The options as they are written in the config. */
  public JsonObject toJson() {
    return new JsonObject().put("host", host).put("port", port);
  }
}
