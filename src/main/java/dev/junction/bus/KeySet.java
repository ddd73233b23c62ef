package dev.junction.bus;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The signature keys of an issuer, parsed from its JWKS (RFC 7517) by Nimbus JOSE+JWT: RSA keys of
 * at least {@value #MIN_RSA_BITS} bits, EC keys on P-256, P-384 and P-521, and Ed25519 keys
 * (RFC 8037), meant for signatures; only their public parts are kept. Immutable, so every ingress
 * instance may use the same one.
 */
public final class KeySet {
  private static final Logger LOG = LoggerFactory.getLogger(KeySet.class);

  /** RSA keys shorter than this are ignored (RFC 7518 3.3 asks for 2048 bits or more). */
  public static final int MIN_RSA_BITS = 2048;
  private static final Set<Curve> EC_CURVES = Set.of(Curve.P_256, Curve.P_384, Curve.P_521);
  /** The DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410), followed by the 32 key bytes. */
  private static final byte[] ED25519_SPKI = HexFormat.of().parseHex("302a300506032b6570032100");

  /** No keys (before the first fetch). */
  public static final KeySet EMPTY = new KeySet(new LinkedHashMap<>(), 0);

  private final JWKSet jwks;
  /** The JDK key of each JWK in {@link #jwks}, made once when the set is parsed rather than for every token. */
  private final Map<JWK, PublicKey> keys;
  private final long fetchedAt;

  private KeySet(Map<JWK, PublicKey> keys, long fetchedAt) {
    this.jwks = new JWKSet(List.copyOf(keys.keySet()));
    this.keys = Collections.unmodifiableMap(keys);
    this.fetchedAt = fetchedAt;
  }

  /** Parses a JWKS document; keys that are not for signatures, too weak or of unknown types are skipped. */
  public static KeySet parse(JsonObject jwks, long fetchedAt) {
    Map<JWK, PublicKey> keys = new LinkedHashMap<>();
    JsonArray all = jwks.getJsonArray("keys", new JsonArray());
    for (Object o : all) {
      if (!(o instanceof JsonObject json)) {
        continue;
      }
      try {
        JWK jwk = JWK.parse(json.encode()).toPublicJWK();
        PublicKey key = jwk.getKeyUse() == KeyUse.ENCRYPTION ? null : publicKey(jwk);
        if (key != null) {
          keys.put(jwk, key);
        }
      } catch (ParseException | JOSEException | GeneralSecurityException | RuntimeException e) {
        LOG.warn("JWKS: skipped a key that cannot be read (kid {}, {})", json.getValue("kid"),
            e.getClass().getSimpleName());
      }
    }
    return new KeySet(keys, fetchedAt);
  }

  private static PublicKey publicKey(JWK jwk) throws JOSEException, GeneralSecurityException {
    if (jwk instanceof RSAKey rsa) {
      return rsa(rsa);
    }
    if (jwk instanceof ECKey ec) {
      return EC_CURVES.contains(ec.getCurve()) ? ec.toPublicKey() : null;
    }
    return jwk instanceof OctetKeyPair okp ? ed25519(okp) : null;
  }

  private static PublicKey rsa(RSAKey jwk) throws JOSEException {
    RSAPublicKey key = jwk.toRSAPublicKey();
    int bits = key.getModulus().bitLength();
    if (bits < MIN_RSA_BITS) {
      LOG.warn("JWKS: ignored RSA key {} of {} bits (at least {} are needed)", jwk.getKeyID(), bits, MIN_RSA_BITS);
      return null;
    }
    return key;
  }

  /**
   * An octet key pair (RFC 8037): Ed25519 only, as a JDK key (Nimbus's own Ed25519 verifier needs
   * Tink, which Junction leaves out); other curves are skipped.
   */
  private static PublicKey ed25519(OctetKeyPair jwk) throws GeneralSecurityException {
    if (!Curve.Ed25519.equals(jwk.getCurve())) {
      return null;
    }
    byte[] x = jwk.getDecodedX();
    if (x.length != 32) {
      throw new GeneralSecurityException("an Ed25519 key has 32 bytes");
    }
    byte[] der = Arrays.copyOf(ED25519_SPKI, ED25519_SPKI.length + x.length);
    System.arraycopy(x, 0, der, ED25519_SPKI.length, x.length);
    return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der));
  }

  /**
   * The keys a token with this header may be checked with (Nimbus's JWS key matching): of the
   * type its {@code alg} needs, meant for signatures, with that {@code alg} if the key names one,
   * and with the token's {@code kid}, or, for a token without one, every such key.
   */
  public List<PublicKey> select(JWSHeader header) {
    JWKMatcher matcher = JWKMatcher.forJWSHeader(header);
    return matcher == null ? List.of() : new JWKSelector(matcher).select(jwks).stream().map(keys::get).toList();
  }

  /** True when a key has this id. */
  public boolean has(String kid) {
    return jwks.getKeyByKeyId(kid) != null;
  }

  public int size() {
    return keys.size();
  }

  /** When the JWKS was fetched (epoch ms); 0 for none. */
  public long fetchedAt() {
    return fetchedAt;
  }

  /** The public JWKS of these keys: how a key set travels between nodes ({@link #parse} reads it back). */
  JsonObject jwks() {
    return new JsonObject(jwks.toJSONObject(true));
  }

  /** The same keys fetched at the same time. */
  @Override
  public boolean equals(Object o) {
    return o instanceof KeySet other && fetchedAt == other.fetchedAt && jwks().equals(other.jwks());
  }

  @Override
  public int hashCode() {
    return Long.hashCode(fetchedAt) * 31 + keys.keySet().hashCode();
  }

  /** Key ids, for logs (ids are public). */
  public Map<String, String> describe() {
    Map<String, String> out = new LinkedHashMap<>();
    jwks.getKeys().forEach(k -> out.put(String.valueOf(k.getKeyID()), k.getKeyType().getValue()));
    return out;
  }
}
