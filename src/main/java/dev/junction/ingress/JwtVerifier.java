package dev.junction.ingress;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.factories.DefaultJWSVerifierFactory;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.BadJWSException;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.junction.bus.KeySet;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.text.ParseException;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Checks a JWT access token (RFC 7519, RFC 9068) with Nimbus JOSE+JWT, given the issuer's keys
 * (the OAuth verticle fetches and rotates them; nothing here reaches the network): a header
 * without critical extensions (this verifier understands none, RFC 7515 4.1.11) and, when asked
 * for, of type {@code at+jwt} (RFC 9068 2.1); a signature by one of the issuer's keys with an
 * asymmetric algorithm (RS*, PS*, ES*, EdDSA; never {@code none} or HMAC, so a public key can
 * never be used as a shared secret), then {@code iss}, {@code aud} (required, RFC 8707),
 * {@code exp} (required) and {@code nbf} with the allowed clock skew. Thread-safe: one processor,
 * configured once, and a context per token.
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

  private static final JWTClaimsSet NO_CLAIMS = new JWTClaimsSet.Builder().build();
  private static final List<String> TIME_CLAIMS = List.of("exp", "nbf", "iat");
  /** The latest NumericDate taken, 9999-12-31T23:59:59Z, in seconds. */
  private static final long MAX_DATE = 253_402_300_799L;

  /** What one token is checked against: the issuer's keys, the accepted audiences and the time. */
  private record Check(KeySet keys, Set<String> audiences, long nowMs) implements SecurityContext {
  }

  /** A claims check that failed, with the problem it stands for. */
  private static final class Refused extends BadJWTException {
    private static final long serialVersionUID = 1L;
    private final transient Problem problem;

    Refused(Problem problem, BadJWTException cause) {
      super(problem.name(), cause);
      this.problem = problem;
    }
  }

  private final boolean requireType;
  private final int leewaySeconds;
  private final DefaultJWTClaimsVerifier<Check> issuerRule;
  private final DefaultJWTProcessor<Check> processor = new DefaultJWTProcessor<>();

  /** A verifier that accepts any {@code typ}. */
  public JwtVerifier(String issuer, long leewayMs) {
    this(issuer, leewayMs, false);
  }

  /** @param requireType true: the header's {@code typ} must be {@code at+jwt} or {@code application/at+jwt} */
  public JwtVerifier(String issuer, long leewayMs, boolean requireType) {
    this.requireType = requireType;
    // JWT times are whole seconds (RFC 7519 2, NumericDate)
    this.leewaySeconds = (int) Math.min(Integer.MAX_VALUE, leewayMs / 1000);
    this.issuerRule = issuer == null ? null
        : new DefaultJWTClaimsVerifier<>(new JWTClaimsSet.Builder().issuer(issuer).build(), Set.of("iss"));
    // the type is checked on the raw header (see verify), which also sees a typ that is not a string
    processor.setJWSTypeVerifier((type, check) -> { });
    processor.setJWSKeySelector((header, check) -> check.keys().select(header));
    processor.setJWSVerifierFactory(new Verifiers());
    processor.setJWTClaimsSetVerifier(this::checkClaims);
  }

  /**
   * Loads the classes and security providers a check needs, once per JVM, by checking a token for
   * each key type (RSA, EC, Ed25519) signed with a fresh key: their first use takes tens to hundreds
   * of milliseconds, which must not land on an event loop checking a client's token. Blocking (it
   * makes keys): call it on a worker.
   *
   * @return true when every warm-up token was accepted, as it must be
   */
  public static boolean warmUp() {
    return WarmUp.DONE;
  }

  /** Runs the warm-up once, when first asked for (class initialisation is once per JVM and thread-safe). */
  private static final class WarmUp {
    static final boolean DONE = run();

    private static boolean run() {
      try {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(KeySet.MIN_RSA_BITS);
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp256r1"));
        Map<String, KeyPair> pairs = Map.of("RS256", rsa.generateKeyPair(), "ES256", ec.generateKeyPair(),
            "EdDSA", KeyPairGenerator.getInstance("Ed25519").generateKeyPair());
        byte[] ed = pairs.get("EdDSA").getPublic().getEncoded();
        List<JWK> jwks = List.of(
            new RSAKey.Builder((RSAPublicKey) pairs.get("RS256").getPublic()).keyID("RS256").build(),
            new ECKey.Builder(Curve.P_256, (ECPublicKey) pairs.get("ES256").getPublic()).keyID("ES256").build(),
            // the raw Ed25519 key is the last 32 bytes of its X.509 form (RFC 8410)
            new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(Arrays.copyOfRange(ed, ed.length - 32, ed.length)))
                .keyID("EdDSA").build());
        JsonArray keys = new JsonArray();
        jwks.forEach(k -> keys.add(new JsonObject(k.toJSONObject())));
        KeySet set = KeySet.parse(new JsonObject().put("keys", keys), 0);
        long now = System.currentTimeMillis();
        Base64URL claims = Base64URL.encode(new JsonObject().put("iss", "warm-up").put("aud", "warm-up")
            .put("exp", now / 1000 + 60).encode());
        JwtVerifier verifier = new JwtVerifier("warm-up", 0, true);
        boolean accepted = true;
        for (Map.Entry<String, KeyPair> pair : pairs.entrySet()) {
          String alg = pair.getKey();
          String signed = Base64URL.encode(new JsonObject().put("alg", alg).put("kid", alg).put("typ", "at+jwt")
              .encode()) + "." + claims;
          Signature signer = Signature.getInstance(switch (alg) {
            case "RS256" -> "SHA256withRSA";
            // JWS carries R || S (RFC 7518 3.4)
            case "ES256" -> "SHA256withECDSAinP1363Format";
            default -> "Ed25519";
          });
          signer.initSign(pair.getValue().getPrivate());
          signer.update(signed.getBytes(StandardCharsets.US_ASCII));
          String token = signed + "." + Base64URL.encode(signer.sign());
          accepted &= verifier.verify(token, set, List.of("warm-up"), now).ok();
        }
        return accepted;
      } catch (GeneralSecurityException e) {
        return false;
      }
    }
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
    // the header as it was sent: Nimbus refuses to parse some headers that deserve a more precise answer
    JsonObject header;
    try {
      header = new JsonObject(new String(Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.'))),
          StandardCharsets.UTF_8));
    } catch (RuntimeException e) {
      return new Result(null, Problem.MALFORMED, null);
    }
    String kid = header.getValue("kid") instanceof String k ? k : null;
    if (!(header.getValue("alg") instanceof String alg) || !ALGORITHMS.contains(alg)) {
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
    SignedJWT jwt;
    JsonObject claims;
    try {
      jwt = SignedJWT.parse(token);
      claims = new JsonObject(jwt.getPayload().toString());
    } catch (ParseException | RuntimeException e) {
      return new Result(null, Problem.MALFORMED, kid);
    }
    if (!datesInRange(claims)) {
      return new Result(null, Problem.MALFORMED, kid);
    }
    try {
      processor.process(jwt, new Check(keys, Set.copyOf(audiences), nowMs));
      return new Result(claims, null, kid);
    } catch (Refused e) {
      return new Result(null, e.problem, kid);
    } catch (BadJWSException | JOSEException e) {
      return new Result(null, Problem.BAD_SIGNATURE, kid);
    } catch (BadJWTException e) {
      // the payload is not a claims set
      return new Result(null, Problem.MALFORMED, kid);
    } catch (BadJOSEException e) {
      // what is left: no key of the issuer matches the header
      return new Result(null, Problem.UNKNOWN_KEY, kid);
    } catch (RuntimeException e) {
      return new Result(null, Problem.MALFORMED, kid);
    }
  }

  /**
   * Whether the time claims that are numbers are dates a verifier can compare: Nimbus turns seconds
   * into milliseconds without checking for overflow, so an {@code nbf} far enough in the future
   * would come out as a date in the past (found by fuzzing). Other values are Nimbus's to refuse.
   */
  private static boolean datesInRange(JsonObject claims) {
    for (String name : TIME_CLAIMS) {
      if (claims.getValue(name) instanceof Number n && !(n.doubleValue() >= 0 && n.doubleValue() <= MAX_DATE)) {
        return false;
      }
    }
    return true;
  }

  /**
   * The claims, each checked by a Nimbus claims verifier that sees only its own claim, so a
   * refusal names its reason: issuer, audience (required), expiry (required), not-before.
   */
  private void checkClaims(JWTClaimsSet claims, Check check) throws BadJWTException {
    if (issuerRule != null) {
      rule(Problem.WRONG_ISSUER, issuerRule, claims, "iss", check);
    }
    rule(Problem.WRONG_AUDIENCE, new DefaultJWTClaimsVerifier<>(check.audiences(), null, Set.of("aud"), null),
        claims, "aud", check);
    rule(Problem.EXPIRED, clocked(Set.of("exp"), check.nowMs()), claims, "exp", check);
    rule(Problem.NOT_YET_VALID, clocked(Set.of(), check.nowMs()), claims, "nbf", check);
  }

  private static void rule(Problem problem, DefaultJWTClaimsVerifier<Check> rule, JWTClaimsSet claims, String name,
      Check check) throws Refused {
    Object value = claims.getClaim(name);
    JWTClaimsSet only = value == null ? NO_CLAIMS : new JWTClaimsSet.Builder().claim(name, value).build();
    try {
      rule.verify(only, check);
    } catch (BadJWTException e) {
      throw new Refused(problem, e);
    }
  }

  /** A time rule with the allowed clock skew, at the time the token is checked. */
  private DefaultJWTClaimsVerifier<Check> clocked(Set<String> required, long nowMs) {
    DefaultJWTClaimsVerifier<Check> rule = new DefaultJWTClaimsVerifier<>(null, null, required, null) {
      @Override
      protected Date currentTime() {
        return new Date(nowMs);
      }
    };
    rule.setMaxClockSkew(leewaySeconds);
    return rule;
  }

  /**
   * Nimbus's signature verifiers (RSA and ECDSA, which refuse unknown critical headers on their
   * own), and the JDK's for Ed25519: Nimbus's Ed25519 verifier needs Tink, which Junction leaves out.
   */
  private static final class Verifiers extends DefaultJWSVerifierFactory {
    @Override
    public JWSVerifier createJWSVerifier(JWSHeader header, Key key) throws JOSEException {
      return JWSAlgorithm.EdDSA.equals(header.getAlgorithm()) && key instanceof PublicKey ed
          ? new JdkEd25519Verifier(ed) : super.createJWSVerifier(header, key);
    }
  }
}
