package dev.junction.pool;

import dev.junction.binding.Binder;
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
final class PoolKey {
  private final String tenant;
  private final String upstream;
  private final String configHash;
  private final String declaredHash;
  private final String client;
  /** Built once: a key is looked up on every call, and building these strings showed in profiles. */
  private final String slot;
  private final String id;

  PoolKey(String tenant, String upstream, String configHash, String declaredHash, String client) {
    this.tenant = tenant;
    this.upstream = upstream;
    this.configHash = configHash;
    this.declaredHash = declaredHash;
    this.client = client;
    this.slot = tenant + '|' + upstream + '|' + declaredHash + (client == null ? "" : '|' + client);
    this.id = slot + '|' + configHash;
  }

  String tenant() {
    return tenant;
  }

  String upstream() {
    return upstream;
  }

  String configHash() {
    return configHash;
  }

  String declaredHash() {
    return declaredHash;
  }

  String client() {
    return client;
  }

  /** The key's identity, used as a map key inside the shard. */
  String id() {
    return id;
  }

  /**
   * What stays when only the credentials or the config change: tenant, upstream, client and
   * declared capabilities. A new key in the same slot supersedes the old one, which drains.
   */
  String slot() {
    return slot;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PoolKey k && id.equals(k.id);
  }

  @Override
  public int hashCode() {
    return id.hashCode();
  }

  /** Never the key itself: tenant keys and credentials hash into it. */
  @Override
  public String toString() {
    return "PoolKey[" + hashed() + "]";
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
        .append(Binder.key(o.transport())).append('\n')
        .append(String.join("\u0000", o.command())).append('\n')
        .append(new TreeMap<>(o.env())).append('\n')
        .append(o.cwd()).append('\n')
        .append(o.url()).append('\n')
        .append(headers).append('\n')
        .append(declaredCapabilities == null ? "{}" : declaredCapabilities.encode());
    return Names.sha256Hex(canonical.toString()).substring(0, 16);
  }

}
