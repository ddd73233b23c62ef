package dev.junction.ingress;

import dev.junction.routing.Names;
import io.vertx.core.MultiMap;
import java.util.List;

/**
 * The tenant key: SHA-256 over the identity headers a request carries, serialised canonically
 * (lower-cased names in the configured order, NUL between name and value). The raw values are
 * secrets and are never kept. Inbound authentication (its own issue) replaces this with the
 * verified identity. Pure.
 */
final class TenantKeys {
  static final String ANONYMOUS = "anonymous";

  private TenantKeys() {
  }

  /** The tenant key from the identity headers (lower-cased names, in the configured order). */
  static String of(MultiMap headers, List<String> identityHeaders) {
    StringBuilder canonical = new StringBuilder();
    for (String name : identityHeaders) {
      for (String value : headers.getAll(name)) {
        canonical.append(name).append('\0').append(value).append('\n');
      }
    }
    if (canonical.length() == 0) {
      return ANONYMOUS;
    }
    return Names.sha256Hex(canonical.toString());
  }

  /** The shard of a tenant: {@code floorMod(hash(tenantKey), shards)}. */
  static int shard(String tenantKey, int shards) {
    return Math.floorMod(tenantKey.hashCode(), shards);
  }
}
