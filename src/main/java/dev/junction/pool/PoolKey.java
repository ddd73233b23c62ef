package dev.junction.pool;

import dev.junction.bus.Credentials;
import dev.junction.config.UpstreamOptions;
import dev.junction.routing.Names;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.TreeMap;

/**
 * A pool key: tenant key + upstream + the first 16 hex digits of SHA-256 over the final upstream
 * config (credentials and declared client capabilities included), and, for the {@code client}
 * sharing policy, the downstream session. A new credential gives a new key; the same credential
 * finds the same sessions. Tenant keys and credentials are secrets: a key is never logged or used
 * as a metric label, and admin shows only {@link #hashed()}. Immutable.
 */
record PoolKey(String tenant, String upstream, String configHash, String declaredHash, String client) {

  /** The key's identity, used as a map key inside the shard. */
  String id() {
    return slot() + '|' + configHash;
  }

  /**
   * What stays when only the credentials or the config change: tenant, upstream, client and
   * declared capabilities. A new key in the same slot supersedes the old one, which drains.
   */
  String slot() {
    return tenant + '|' + upstream + '|' + declaredHash + (client == null ? "" : '|' + client);
  }

  /** What admin shows: a hash of the whole key. */
  String hashed() {
    return Names.sha256Hex(id()).substring(0, 16);
  }

  /** A hash of what the gateway declares upstream for a scope (capabilities, protocol version). */
  static String declaredHash(JsonObject declared) {
    return Names.sha256Hex(declared == null ? "{}" : declared.encode()).substring(0, 16);
  }

  /**
   * The config hash: everything that decides what the upstream session is, written canonically
   * (maps sorted), credentials resolved, declared capabilities included.
   */
  static String configHash(UpstreamOptions o, Credentials creds, JsonObject declaredCapabilities) {
    Map<String, String> headers = new TreeMap<>(o.headers());
    headers.putAll(creds.headers());
    StringBuilder canonical = new StringBuilder()
        .append(o.transport().key()).append('\n')
        .append(String.join("\u0000", o.command())).append('\n')
        .append(new TreeMap<>(o.env())).append('\n')
        .append(o.cwd()).append('\n')
        .append(o.url()).append('\n')
        .append(headers).append('\n')
        .append(declaredCapabilities == null ? "{}" : declaredCapabilities.encode());
    return Names.sha256Hex(canonical.toString()).substring(0, 16);
  }

}
