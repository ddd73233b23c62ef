package dev.junction.config;

import dev.junction.binding.Key;

/**
 * The management listener ({@code management: {host, port}}): {@code /healthz}, {@code /readyz},
 * {@code /metrics} and {@code /admin/*} are served there and no longer on the MCP port, so that
 * probes and scrapes can be let in where MCP clients are not (a NetworkPolicy, a firewall).
 *
 * @param host the address to bind; the listen host when the key is absent
 * @param port the port; 0 picks a free one (tests)
 */
public record ManagementOptions(
    @Key(doc = "The address to bind (default: listen.host).") String host,
    @Key(required = true, min = 0, max = 65535, must = "be 0..65535, got %s",
        doc = "The port for /healthz, /readyz, /metrics and /admin; 0 picks a free one.") int port) {
}
