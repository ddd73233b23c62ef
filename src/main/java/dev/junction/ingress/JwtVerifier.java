package dev.junction.ingress;

import dev.junction.bus.KeySet;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Checks a JWT access token (RFC 7519, RFC 9068): a header without critical extensions (this
 * verifier understands none, RFC 7515 4.1.11) and, when asked for, of type {@code at+jwt}
 * (RFC 9068 2.1); a signature by one of the issuer's keys with an asymmetric algorithm (RS*, PS*,
 * ES*, EdDSA; never {@code none} or HMAC, so a public key can never be used as a shared secret),
 * then {@code iss}, {@code aud} (required, RFC 8707), {@code exp} (required) and {@code nbf} with
 * the allowed clock skew. Pure: thread-safe.
 */
public final class JwtVerifier {
  /** Why a token was refused; {@link #UNKNOWN_KEY} means the JWKS may need a refresh. */
  public enum Problem {
    MALFORMED, UNSUPPORTED_CRITICAL_HEADER, WRONG_TYPE, UNKNOWN_KEY, BAD_SIGNATURE, WRONG_ISSUER, WRONG_AUDIENCE,
    EXPIRED, NOT_YET_VALID
  }

  /** The outcome: the claims, or the problem (and the key id the token named). */
  public record Result(JsonObject claims, Problem problem, String kid) {
    public boolean ok() {
      return problem == null;
    }
  }

  private static final Set<String> ALGORITHMS = Set.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512",
      "ES256", "ES384", "ES512", "EdDSA");
  /** The media types of a JWT access token (RFC 9068 2.1), compared without case. */
  private static final Set<String> ACCESS_TOKEN_TYPES = Set.of("at+jwt", "application/at+jwt");

  private final String issuer;
  private final long leewayMs;
  private final boolean requireType;

  /** A verifier that accepts any {@code typ}. */
  public JwtVerifier(String issuer, long leewayMs) {
    this(issuer, leewayMs, false);
  }

  /** @param requireType true: the header's {@code typ} must be {@code at+jwt} or {@code application/at+jwt} */
  public JwtVerifier(String issuer, long leewayMs, boolean requireType) {
    this.issuer = issuer;
    this.leewayMs = leewayMs;
    this.requireType = requireType;
  }

  /** True when the token has the shape of a JWS (three base64url parts); other tokens are opaque. */
  public static boolean looksLikeJwt(String token) {
    int first = token.indexOf('.');
    int second = first < 0 ? -1 : token.indexOf('.', first + 1);
    return first > 0 && second > first + 1 && token.indexOf('.', second + 1) < 0 && second < token.length() - 1;
  }

  /**
   * Checks a token.
   *
   * @param audiences the accepted audiences; the token's {@code aud} must name one of them
   */
  public Result verify(String token, KeySet keys, List<String> audiences, long nowMs) {
    if (!looksLikeJwt(token)) {
      return new Result(null, Problem.MALFORMED, null);
    }
    String[] parts = token.split("\\.");
    JsonObject header;
    JsonObject claims;
    byte[] signature;
    try {
      header = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[0]), StandardCharsets.UTF_8));
      claims = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
      signature = Base64.getUrlDecoder().decode(parts[2]);
    } catch (RuntimeException e) {
      return new Result(null, Problem.MALFORMED, null);
    }
    String alg = header.getValue("alg") instanceof String a ? a : null;
    String kid = header.getValue("kid") instanceof String k ? k : null;
    if (alg == null || !ALGORITHMS.contains(alg)) {
      return new Result(null, Problem.MALFORMED, kid);
    }
    if (header.containsKey("crit")) {
      // Every name in crit is an extension this verifier does not understand; an empty or
      // non-array crit is invalid as well (RFC 7515 4.1.11).
      return new Result(null, Problem.UNSUPPORTED_CRITICAL_HEADER, kid);
    }
    if (requireType && !(header.getValue("typ") instanceof String typ
        && ACCESS_TOKEN_TYPES.contains(typ.toLowerCase(Locale.ROOT)))) {
      return new Result(null, Problem.WRONG_TYPE, kid);
    }
    String kty = alg.equals("EdDSA") ? "OKP" : alg.startsWith("ES") ? "EC" : "RSA";
    List<KeySet.Key> candidates = keys.candidates(kid, kty);
    if (candidates.isEmpty()) {
      return new Result(null, Problem.UNKNOWN_KEY, kid);
    }
    byte[] signed = (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII);
    boolean valid = false;
    for (KeySet.Key key : candidates) {
      if (key.alg() == null || key.alg().equals(alg)) {
        valid |= checks(alg, key, signed, signature);
      }
    }
    if (!valid) {
      return new Result(null, Problem.BAD_SIGNATURE, kid);
    }
    if (issuer != null && !issuer.equals(claims.getValue("iss"))) {
      return new Result(null, Problem.WRONG_ISSUER, kid);
    }
    Object aud = claims.getValue("aud");
    List<?> named = aud instanceof String s ? List.of(s) : aud instanceof JsonArray a ? a.getList() : List.of();
    if (named.stream().noneMatch(audiences::contains)) {
      return new Result(null, Problem.WRONG_AUDIENCE, kid);
    }
    if (!(claims.getValue("exp") instanceof Number exp) || exp.longValue() * 1000 + leewayMs < nowMs) {
      return new Result(null, Problem.EXPIRED, kid);
    }
    if (claims.getValue("nbf") instanceof Number nbf && nbf.longValue() * 1000 - leewayMs > nowMs) {
      return new Result(null, Problem.NOT_YET_VALID, kid);
    }
    return new Result(claims, null, kid);
  }

  private static boolean checks(String alg, KeySet.Key key, byte[] signed, byte[] signature) {
    String bits = alg.substring(2);
    try {
      Signature s;
      if (alg.equals("EdDSA")) {
        // the key set holds Ed25519 keys only (RFC 8037 3.1)
        s = Signature.getInstance("Ed25519");
      } else if (alg.startsWith("RS")) {
        s = Signature.getInstance("SHA" + bits + "withRSA");
      } else if (alg.startsWith("PS")) {
        s = Signature.getInstance("RSASSA-PSS");
        String hash = "SHA-" + bits;
        s.setParameter(new PSSParameterSpec(hash, "MGF1", new MGF1ParameterSpec(hash), Integer.parseInt(bits) / 8, 1));
      } else {
        if (!curveMatches(bits, key.crv())) {
          return false;
        }
        // JWS carries R || S (RFC 7518 3.4), the P1363 format
        s = Signature.getInstance("SHA" + bits + "withECDSAinP1363Format");
      }
      s.initVerify(key.key());
      s.update(signed);
      return s.verify(signature);
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }

  private static boolean curveMatches(String bits, String crv) {
    return switch (bits) {
      case "256" -> "P-256".equals(crv);
      case "384" -> "P-384".equals(crv);
      default -> "P-521".equals(crv);
    };
  }
}
