package dev.junction.ingress;

import io.vertx.core.MultiMap;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
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
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is always present", e);
    }
  }

  /** The shard of a tenant: {@code floorMod(hash(tenantKey), shards)}. */
  static int shard(String tenantKey, int shards) {
    return Math.floorMod(tenantKey.hashCode(), shards);
  }
}
