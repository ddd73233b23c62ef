package dev.junction.bus;

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
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The signature keys of an issuer, parsed from its JWKS (RFC 7517): RSA keys of at least
 * {@value #MIN_RSA_BITS} bits, EC keys on P-256, P-384 and P-521, and Ed25519 keys (RFC 8037),
 * meant for signatures. Immutable, so every ingress instance may use the same one.
 */
public final class KeySet {
  private static final Logger LOG = LoggerFactory.getLogger(KeySet.class);

  /** RSA keys shorter than this are ignored (RFC 7518 3.3 asks for 2048 bits or more). */
  public static final int MIN_RSA_BITS = 2048;
  /** The DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410), followed by the 32 key bytes. */
  private static final byte[] ED25519_SPKI = HexFormat.of().parseHex("302a300506032b6570032100");

  /** One key: its id (may be null), type ({@code RSA}, {@code EC} or {@code OKP}), optional {@code alg} and the key. */
  public record Key(String kid, String kty, String alg, String crv, PublicKey key) {
  }

  /** No keys (before the first fetch). */
  public static final KeySet EMPTY = new KeySet(List.of(), 0);

  private final List<Key> keys;
  private final long fetchedAt;

  /** The keys as they are, fetched at {@code fetchedAt}; also how a key set is read from bytes. */
  KeySet(List<Key> keys, long fetchedAt) {
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
          case "RSA" -> rsa(jwk);
          case "EC" -> ec(jwk);
          case "OKP" -> okp(jwk);
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

  private static PublicKey rsa(JsonObject jwk) throws GeneralSecurityException {
    BigInteger modulus = unsigned(jwk.getString("n"));
    if (modulus.bitLength() < MIN_RSA_BITS) {
      LOG.warn("JWKS: ignored RSA key {} of {} bits (at least {} are needed)", jwk.getString("kid"),
          modulus.bitLength(), MIN_RSA_BITS);
      return null;
    }
    return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(modulus, unsigned(jwk.getString("e"))));
  }

  /** An octet key pair (RFC 8037): Ed25519 only; other curves are skipped. */
  private static PublicKey okp(JsonObject jwk) throws GeneralSecurityException {
    if (!"Ed25519".equals(jwk.getString("crv"))) {
      return null;
    }
    byte[] x = Base64.getUrlDecoder().decode(jwk.getString("x"));
    if (x.length != 32) {
      throw new GeneralSecurityException("an Ed25519 key has 32 bytes");
    }
    byte[] der = Arrays.copyOf(ED25519_SPKI, ED25519_SPKI.length + x.length);
    System.arraycopy(x, 0, der, ED25519_SPKI.length, x.length);
    return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
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
  public List<Key> candidates(String kid, String kty) {
    return keys.stream().filter(k -> k.kty().equals(kty) && (kid == null || kid.equals(k.kid()))).toList();
  }

  /** True when a key has this id. */
  public boolean has(String kid) {
    return keys.stream().anyMatch(k -> kid.equals(k.kid()));
  }

  /** The keys, in the JWKS's order. */
  List<Key> keys() {
    return keys;
  }

  public int size() {
    return keys.size();
  }

  /** When the JWKS was fetched (epoch ms); 0 for none. */
  public long fetchedAt() {
    return fetchedAt;
  }

  /** The same keys fetched at the same time (a key is equal to another of the same encoding). */
  @Override
  public boolean equals(Object o) {
    return o instanceof KeySet other && fetchedAt == other.fetchedAt && keys.equals(other.keys);
  }

  @Override
  public int hashCode() {
    return Long.hashCode(fetchedAt) * 31 + keys.hashCode();
  }

  /** Key ids, for logs (ids are public). */
  public Map<String, String> describe() {
    Map<String, String> out = new java.util.LinkedHashMap<>();
    keys.forEach(k -> out.put(String.valueOf(k.kid()), k.kty()));
    return out;
  }
}
