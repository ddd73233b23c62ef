package dev.junction.ingress;

import dev.junction.routing.Names;
import io.vertx.core.MultiMap;
import java.util.List;

/**
 * The tenant key of an unauthenticated request (only where {@code auth.unauthenticated: allow}):
 * SHA-256 over the identity headers it carries, serialised canonically (lower-cased names in the
 * configured order, NUL between name and value). The raw values are secrets and are never kept.
 * Authenticated requests get the key of their verified tenant instead ({@link Authenticator}). Pure.
 */
final class TenantKeys {
  static final String ANONYMOUS = "anonymous";

  private TenantKeys() {
  }

  /** The tenant key from the identity headers (lower-cased names, in the configured order). */
  static String of(MultiMap headers, List<String> identityHeaders) {
    StringBuilder canonical = new StringBuilder();
    for (String name : identityHeaders) {
      if (headers.get(name) == null) {
        continue; // the usual case: no list is built for a header that is not there
      }
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
