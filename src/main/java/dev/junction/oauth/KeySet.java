package dev.junction.oauth;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The signature keys of an issuer, parsed from its JWKS (RFC 7517): RSA and EC keys meant for
 * signatures. Immutable, so every ingress instance may use the same one.
 */
public final class KeySet {
  private static final Logger LOG = LoggerFactory.getLogger(KeySet.class);

  /** One key: its id (may be null), type ({@code RSA} or {@code EC}), optional {@code alg} and the key. */
  record Key(String kid, String kty, String alg, String crv, PublicKey key) {
  }

  /** No keys (before the first fetch). */
  public static final KeySet EMPTY = new KeySet(List.of(), 0);

  private final List<Key> keys;
  private final long fetchedAt;

  private KeySet(List<Key> keys, long fetchedAt) {
    this.keys = List.copyOf(keys);
    this.fetchedAt = fetchedAt;
  }

  /** Parses a JWKS document; keys that are not for signatures or of unknown types are skipped. */
  public static KeySet parse(JsonObject jwks, long fetchedAt) {
    List<Key> keys = new ArrayList<>();
    JsonArray all = jwks.getJsonArray("keys", new JsonArray());
    for (Object o : all) {
      if (!(o instanceof JsonObject jwk) || "enc".equals(jwk.getString("use"))) {
        continue;
      }
      try {
        PublicKey key = switch (String.valueOf(jwk.getString("kty"))) {
          case "RSA" -> KeyFactory.getInstance("RSA").generatePublic(
              new RSAPublicKeySpec(unsigned(jwk.getString("n")), unsigned(jwk.getString("e"))));
          case "EC" -> ec(jwk);
          default -> null;
        };
        if (key != null) {
          keys.add(new Key(jwk.getString("kid"), jwk.getString("kty"), jwk.getString("alg"), jwk.getString("crv"), key));
        }
      } catch (GeneralSecurityException | RuntimeException e) {
        LOG.warn("JWKS: skipped a key that cannot be read (kid {}, {})", jwk.getString("kid"), e.getClass().getSimpleName());
      }
    }
    return new KeySet(keys, fetchedAt);
  }

  private static PublicKey ec(JsonObject jwk) throws GeneralSecurityException {
    String curve = switch (String.valueOf(jwk.getString("crv"))) {
      case "P-256" -> "secp256r1";
      case "P-384" -> "secp384r1";
      case "P-521" -> "secp521r1";
      default -> null;
    };
    if (curve == null) {
      return null;
    }
    AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
    params.init(new ECGenParameterSpec(curve));
    ECParameterSpec spec = params.getParameterSpec(ECParameterSpec.class);
    ECPoint point = new ECPoint(unsigned(jwk.getString("x")), unsigned(jwk.getString("y")));
    return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(point, spec));
  }

  private static BigInteger unsigned(String base64url) {
    return new BigInteger(1, Base64.getUrlDecoder().decode(base64url));
  }

  /**
   * The keys a token signed with {@code alg} and {@code kid} may be checked with: the key with that
   * id, or, for a token without an id, every key of the algorithm's type.
   */
  List<Key> candidates(String kid, String kty) {
    return keys.stream().filter(k -> k.kty().equals(kty) && (kid == null || kid.equals(k.kid()))).toList();
  }

  /** True when a key has this id. */
  boolean has(String kid) {
    return keys.stream().anyMatch(k -> kid.equals(k.kid()));
  }

  public int size() {
    return keys.size();
  }

  /** When the JWKS was fetched (epoch ms); 0 for none. */
  public long fetchedAt() {
    return fetchedAt;
  }

  /** Key ids, for logs (ids are public). */
  public Map<String, String> describe() {
    Map<String, String> out = new java.util.LinkedHashMap<>();
    keys.forEach(k -> out.put(String.valueOf(k.kid()), k.kty()));
    return out;
  }
}
