package dev.junction.bus;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The {@code requestState} the gateway hands a 2026-07-28 client while an upstream call waits for
 * its input: {@code jmrtr1.<round>|<expiry>|<mac>}, where the round id names its owner node and
 * shard (it is a session id, see {@link SessionIds}, so ingress routes a retry to its owner) and the
 * MAC is an HMAC-SHA256 over round, expiry and tenant key with the gateway's key. The tenant is not
 * in the clear: a state shown by another tenant fails verification like a forged one
 * (basic/patterns/mrtr, "Server Requirements").
 * Immutable; safe on any thread (a {@link Mac} is made per use).
 */
public final class MrtrState {
  /** The prefix of every state the gateway issues; other states belong to upstreams. */
  public static final String PREFIX = "jmrtr1.";
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private final byte[] key;

  /** @param key the configured key, or null for a random one (good for one process only) */
  public MrtrState(String key) {
    if (key != null) {
      this.key = key.getBytes(StandardCharsets.UTF_8);
    } else {
      this.key = new byte[32];
      new SecureRandom().nextBytes(this.key);
    }
    // the JCE provider loads on first use: at start, not during a client's call
    mac("", 0, "");
  }

  /** Whether a client's {@code requestState} claims to be one of the gateway's. */
  public static boolean ours(Object state) {
    return state instanceof String s && s.startsWith(PREFIX);
  }

  /** The round id a state names (unverified: for routing only), or null when it is not well formed. */
  public static String roundOf(Object state) {
    if (!ours(state)) {
      return null;
    }
    String[] parts = ((String) state).substring(PREFIX.length()).split("\\|", -1);
    return parts.length == 3 && !parts[0].isEmpty() ? parts[0] : null;
  }

  /** A state for round {@code round} of tenant {@code tenant}, valid until {@code expiresAt} (epoch ms). */
  public String issue(String round, String tenant, long expiresAt) {
    return PREFIX + round + "|" + expiresAt + "|" + mac(round, expiresAt, tenant);
  }

  /** The round a state names, when it is genuine, unexpired at {@code now} and {@code tenant}'s; else null. */
  public String verify(Object state, String tenant, long now) {
    String round = roundOf(state);
    if (round == null) {
      return null;
    }
    String[] parts = ((String) state).substring(PREFIX.length()).split("\\|", -1);
    long expiresAt;
    try {
      expiresAt = Long.parseLong(parts[1]);
    } catch (NumberFormatException e) {
      return null;
    }
    byte[] expected = mac(round, expiresAt, tenant).getBytes(StandardCharsets.US_ASCII);
    boolean genuine = MessageDigest.isEqual(expected, parts[2].getBytes(StandardCharsets.US_ASCII));
    return genuine && now < expiresAt ? round : null;
  }

  private String mac(String round, long expiresAt, String tenant) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      byte[] out = mac.doFinal((round + "\n" + expiresAt + "\n" + tenant).getBytes(StandardCharsets.UTF_8));
      return B64.encodeToString(out);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }
}
