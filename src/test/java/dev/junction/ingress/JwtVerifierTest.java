package dev.junction.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.junction.bus.KeySet;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class JwtVerifierTest {
  private static final String ISS = "https://as.test";
  private static final List<String> AUD = List.of("https://gw.test");
  private static final long NOW = 1_800_000_000_000L;

  private final KeyPair rsa = generate("RSA", null);
  private final KeyPair ec = generate("EC", "secp256r1");
  private final KeySet keys = KeySet.parse(new JsonObject().put("keys", new JsonArray()
      .add(rsaJwk("r1", rsa)).add(ecJwk("e1", ec))
      .add(new JsonObject().put("kty", "RSA").put("use", "enc").put("kid", "x").put("n", "AQAB").put("e", "AQAB"))), NOW);
  private final JwtVerifier verifier = new JwtVerifier(ISS, 30_000);

  private static KeyPair generate(String type, String curve) {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance(type);
      if (curve != null) {
        g.initialize(new ECGenParameterSpec(curve));
      } else {
        g.initialize(2048);
      }
      return g.generateKeyPair();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static String b64(byte[] bytes) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static String b64(BigInteger n) {
    byte[] bytes = n.toByteArray();
    return b64(bytes[0] == 0 ? Arrays.copyOfRange(bytes, 1, bytes.length) : bytes);
  }

  private static JsonObject rsaJwk(String kid, KeyPair pair) {
    RSAPublicKey k = (RSAPublicKey) pair.getPublic();
    return new JsonObject().put("kty", "RSA").put("kid", kid).put("use", "sig").put("n", b64(k.getModulus()))
        .put("e", b64(k.getPublicExponent()));
  }

  private static JsonObject ecJwk(String kid, KeyPair pair) {
    ECPublicKey k = (ECPublicKey) pair.getPublic();
    return new JsonObject().put("kty", "EC").put("kid", kid).put("crv", "P-256").put("x", b64(k.getW().getAffineX()))
        .put("y", b64(k.getW().getAffineY()));
  }

  private static String sign(String alg, String kid, JsonObject claims, KeyPair pair) throws Exception {
    JsonObject header = new JsonObject().put("alg", alg).put("typ", "at+jwt");
    if (kid != null) {
      header.put("kid", kid);
    }
    return sign(header, claims, pair);
  }

  /** Signs with the header as given, with the JDK algorithm of its {@code alg}. */
  private static String sign(JsonObject header, JsonObject claims, KeyPair pair) throws Exception {
    String input = b64(header.encode().getBytes(StandardCharsets.UTF_8)) + "." + b64(claims.encode().getBytes(StandardCharsets.UTF_8));
    Signature s = Signature.getInstance(switch (header.getString("alg")) {
      case "ES256" -> "SHA256withECDSAinP1363Format";
      case "EdDSA" -> "Ed25519";
      default -> "SHA256withRSA";
    });
    s.initSign(pair.getPrivate());
    s.update(input.getBytes(StandardCharsets.US_ASCII));
    return input + "." + b64(s.sign());
  }

  private static JsonObject header(String alg, String kid) {
    return new JsonObject().put("alg", alg).put("kid", kid);
  }

  /** An Ed25519 JWK (RFC 8037): x is the raw key, the last 32 bytes of its X.509 encoding. */
  private static JsonObject okpJwk(String kid, KeyPair pair) {
    byte[] spki = pair.getPublic().getEncoded();
    return new JsonObject().put("kty", "OKP").put("crv", "Ed25519").put("kid", kid)
        .put("x", b64(Arrays.copyOfRange(spki, spki.length - 32, spki.length)));
  }

  private static KeyPair rsa(int bits) throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(bits);
    return g.generateKeyPair();
  }

  private static JsonObject claims() {
    return new JsonObject().put("iss", ISS).put("aud", "https://gw.test").put("sub", "alice").put("exp", NOW / 1000 + 60);
  }

  private JwtVerifier.Problem check(String token) {
    return verifier.verify(token, keys, AUD, NOW).problem();
  }

  @Test
  void acceptsRsaAndEcTokensForTheResource() throws Exception {
    JwtVerifier.Result r = verifier.verify(sign("RS256", "r1", claims(), rsa), keys, AUD, NOW);
    assertThat(r.ok()).isTrue();
    assertThat(r.claims().getString("sub")).isEqualTo("alice");
    assertThat(check(sign("ES256", "e1", claims().put("aud", new JsonArray().add("other").add("https://gw.test")), ec))).isNull();
    assertThat(check(sign("RS256", null, claims(), rsa))).as("no kid: every RSA key is tried").isNull();
    assertThat(keys.size()).as("the encryption key is left out").isEqualTo(2);
  }

  @Test
  void refusesEachBadTokenWithItsReason() throws Exception {
    KeyPair stranger = generate("RSA", null);
    assertThat(check(sign("RS256", "r1", claims(), stranger))).isEqualTo(JwtVerifier.Problem.BAD_SIGNATURE);
    assertThat(check(sign("RS256", "r9", claims(), rsa))).isEqualTo(JwtVerifier.Problem.UNKNOWN_KEY);
    assertThat(check(sign("RS256", "r1", claims().put("iss", "https://evil.test"), rsa))).isEqualTo(JwtVerifier.Problem.WRONG_ISSUER);
    assertThat(check(sign("RS256", "r1", claims().put("aud", "https://other.test"), rsa))).isEqualTo(JwtVerifier.Problem.WRONG_AUDIENCE);
    assertThat(check(sign("RS256", "r1", claims().copy().put("aud", (String) null), rsa)))
        .as("a token without an audience is not for us").isEqualTo(JwtVerifier.Problem.WRONG_AUDIENCE);
    assertThat(check(sign("RS256", "r1", claims().put("exp", NOW / 1000 - 31), rsa))).isEqualTo(JwtVerifier.Problem.EXPIRED);
    assertThat(check(sign("RS256", "r1", claims().put("exp", NOW / 1000 - 29), rsa))).as("within the leeway").isNull();
    JsonObject noExp = claims();
    noExp.remove("exp");
    assertThat(check(sign("RS256", "r1", noExp, rsa))).isEqualTo(JwtVerifier.Problem.EXPIRED);
    assertThat(check(sign("RS256", "r1", claims().put("nbf", NOW / 1000 + 120), rsa))).isEqualTo(JwtVerifier.Problem.NOT_YET_VALID);
    assertThat(check("not-a-jwt")).isEqualTo(JwtVerifier.Problem.MALFORMED);
    String good = sign("RS256", "r1", claims(), rsa);
    String tampered = good.substring(0, good.indexOf('.') + 1) + b64(claims().put("sub", "mallory").encode().getBytes(StandardCharsets.UTF_8))
        + good.substring(good.lastIndexOf('.'));
    assertThat(check(tampered)).isEqualTo(JwtVerifier.Problem.BAD_SIGNATURE);
  }

  @Test
  void refusesUnsignedAndSymmetricAlgorithms() throws Exception {
    String payload = b64(claims().encode().getBytes(StandardCharsets.UTF_8));
    String none = b64("{\"alg\":\"none\"}".getBytes(StandardCharsets.UTF_8)) + "." + payload + ".x";
    assertThat(check(none)).isEqualTo(JwtVerifier.Problem.MALFORMED);
    String hs = b64("{\"alg\":\"HS256\",\"kid\":\"r1\"}".getBytes(StandardCharsets.UTF_8)) + "." + payload + ".c2ln";
    assertThat(check(hs)).isEqualTo(JwtVerifier.Problem.MALFORMED);
    // an RSA key cannot check an ES256 token, nor the other way round
    assertThat(check(sign("ES256", "r1", claims(), ec))).isEqualTo(JwtVerifier.Problem.UNKNOWN_KEY);
  }

  @Test
  void refusesEveryCriticalHeaderExtension() throws Exception {
    // signed correctly: only crit is wrong (RFC 7515 4.1.11; this verifier understands no extension)
    assertThat(check(sign(header("RS256", "r1").put("crit", new JsonArray().add("exp")).put("exp", 1), claims(), rsa)))
        .isEqualTo(JwtVerifier.Problem.UNSUPPORTED_CRITICAL_HEADER);
    JsonObject b64 = header("RS256", "r1").put("crit", new JsonArray().add("b64")).put("b64", false);
    assertThat(check(sign(b64, claims(), rsa)))
        .isEqualTo(JwtVerifier.Problem.UNSUPPORTED_CRITICAL_HEADER);
    assertThat(check(sign(header("RS256", "r1").put("crit", new JsonArray()), claims(), rsa)))
        .as("an empty crit is invalid").isEqualTo(JwtVerifier.Problem.UNSUPPORTED_CRITICAL_HEADER);
    assertThat(check(sign(header("RS256", "r1").put("crit", "exp"), claims(), rsa)))
        .as("a crit that is not a list is invalid").isEqualTo(JwtVerifier.Problem.UNSUPPORTED_CRITICAL_HEADER);
    assertThat(check(sign(header("RS256", "r1").putNull("crit"), claims(), rsa)))
        .isEqualTo(JwtVerifier.Problem.UNSUPPORTED_CRITICAL_HEADER);
    assertThat(check(sign(header("RS256", "r1").put("x-unknown", true), claims(), rsa)))
        .as("an unknown header that is not critical is ignored").isNull();
  }

  @Test
  void rsaKeysUnder2048BitsAreIgnored() throws Exception {
    KeyPair small = rsa(1024);
    KeyPair almost = rsa(2040);
    Logger log = (Logger) LoggerFactory.getLogger(KeySet.class);
    ListAppender<ILoggingEvent> warnings = new ListAppender<>();
    warnings.start();
    log.addAppender(warnings);
    KeySet set;
    try {
      set = KeySet.parse(new JsonObject().put("keys", new JsonArray().add(rsaJwk("small", small))
          .add(rsaJwk("almost", almost)).add(rsaJwk("r1", rsa))), NOW);
    } finally {
      log.detachAppender(warnings);
    }
    assertThat(set.size()).isEqualTo(1);
    assertThat(warnings.list).extracting(ILoggingEvent::getFormattedMessage).containsExactly(
        "JWKS: ignored RSA key small of 1024 bits (at least 2048 are needed)",
        "JWKS: ignored RSA key almost of 2040 bits (at least 2048 are needed)");
    assertThat(verifier.verify(sign("RS256", "small", claims(), small), set, AUD, NOW).problem())
        .isEqualTo(JwtVerifier.Problem.UNKNOWN_KEY);
    assertThat(verifier.verify(sign("RS256", null, claims(), small), set, AUD, NOW).problem())
        .as("nor is it tried for a token without a kid").isEqualTo(JwtVerifier.Problem.BAD_SIGNATURE);
    assertThat(verifier.verify(sign("RS256", "r1", claims(), rsa), set, AUD, NOW).ok()).isTrue();
  }

  @Test
  void theAccessTokenTypeIsRequiredOnlyWhenAskedFor() throws Exception {
    JwtVerifier strict = new JwtVerifier(ISS, 30_000, true);
    for (String typ : List.of("at+jwt", "AT+JWT", "application/at+jwt", "Application/At+JWT")) {
      assertThat(strict.verify(sign(header("RS256", "r1").put("typ", typ), claims(), rsa), keys, AUD, NOW).problem())
          .as(typ).isNull();
    }
    for (String typ : List.of("JWT", "jwt", "application/jwt", "at+jwt ", "")) {
      assertThat(strict.verify(sign(header("RS256", "r1").put("typ", typ), claims(), rsa), keys, AUD, NOW).problem())
          .as(typ).isEqualTo(JwtVerifier.Problem.WRONG_TYPE);
    }
    String untyped = sign(header("RS256", "r1"), claims(), rsa);
    assertThat(strict.verify(untyped, keys, AUD, NOW).problem()).isEqualTo(JwtVerifier.Problem.WRONG_TYPE);
    assertThat(strict.verify(sign(header("RS256", "r1").put("typ", 1), claims(), rsa), keys, AUD, NOW).problem())
        .isEqualTo(JwtVerifier.Problem.WRONG_TYPE);
    assertThat(check(untyped)).as("off by default").isNull();
    assertThat(check(sign(header("RS256", "r1").put("typ", "JWT"), claims(), rsa))).isNull();
  }

  @Test
  void acceptsEd25519() throws Exception {
    KeyPair ed = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    KeyPair other = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    KeySet set = KeySet.parse(new JsonObject().put("keys", new JsonArray().add(okpJwk("o1", ed)).add(rsaJwk("r1", rsa))
        .add(okpJwk("x448", ed).put("crv", "Ed448")).add(okpJwk("short", ed).put("x", "AAAA"))), NOW);
    assertThat(set.size()).as("Ed448 and a malformed key are skipped").isEqualTo(2);
    JwtVerifier.Result r = verifier.verify(sign(header("EdDSA", "o1"), claims(), ed), set, AUD, NOW);
    assertThat(r.ok()).as(String.valueOf(r.problem())).isTrue();
    assertThat(verifier.verify(sign(header("EdDSA", null), claims(), ed), set, AUD, NOW).ok()).isTrue();
    assertThat(verifier.verify(sign(header("EdDSA", "o1"), claims(), other), set, AUD, NOW).problem())
        .isEqualTo(JwtVerifier.Problem.BAD_SIGNATURE);
    assertThat(verifier.verify(sign(header("EdDSA", "r1"), claims(), ed), set, AUD, NOW).problem())
        .as("an RSA key cannot check an EdDSA token").isEqualTo(JwtVerifier.Problem.UNKNOWN_KEY);
    assertThat(verifier.verify(sign(header("RS256", "o1"), claims(), rsa), set, AUD, NOW).problem())
        .as("nor an Ed25519 key an RS256 token").isEqualTo(JwtVerifier.Problem.UNKNOWN_KEY);
    assertThat(verifier.verify(sign(header("EdDSA", "o1"), claims().put("exp", NOW / 1000 - 60), ed), set, AUD, NOW)
        .problem()).as("the claims are still checked").isEqualTo(JwtVerifier.Problem.EXPIRED);
  }

  /** Signs the claims with Nimbus, for algorithms the JDK helper above does not cover. */
  private static String nimbus(JWSAlgorithm alg, String kid, JWSSigner signer) throws Exception {
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(kid).build(), JWTClaimsSet.parse(claims().getMap()));
    jwt.sign(signer);
    return jwt.serialize();
  }

  @Test
  void everyAsymmetricAlgorithmIsCheckedWithKeysThatNameNoAlgorithm() throws Exception {
    KeyPair p384 = generate("EC", "secp384r1");
    KeySet set = KeySet.parse(new JsonObject().put("keys", new JsonArray().add(rsaJwk("r1", rsa))
        .add(ecJwk("e3", p384).put("crv", "P-384")).add(rsaJwk("pinned", rsa).put("alg", "RS256"))), NOW);
    for (JWSAlgorithm alg : List.of(JWSAlgorithm.RS384, JWSAlgorithm.RS512, JWSAlgorithm.PS256, JWSAlgorithm.PS512)) {
      assertThat(verifier.verify(nimbus(alg, "r1", new RSASSASigner(rsa.getPrivate())), set, AUD, NOW).problem())
          .as(alg.getName()).isNull();
    }
    assertThat(verifier.verify(nimbus(JWSAlgorithm.ES384, "e3", new ECDSASigner((ECPrivateKey) p384.getPrivate())),
        set, AUD, NOW).problem()).isNull();
    assertThat(verifier.verify(nimbus(JWSAlgorithm.PS256, "pinned", new RSASSASigner(rsa.getPrivate())), set, AUD, NOW)
        .problem()).as("a key that names its algorithm checks only that one").isEqualTo(JwtVerifier.Problem.UNKNOWN_KEY);
    assertThat(verifier.verify(nimbus(JWSAlgorithm.ES256, "e3", new ECDSASigner((ECPrivateKey) ec.getPrivate())),
        set, AUD, NOW).problem()).as("a P-384 key does not check ES256").isEqualTo(JwtVerifier.Problem.BAD_SIGNATURE);
  }

  @Test
  void aSharedSecretInTheKeySetIsNeverUsed() throws Exception {
    byte[] secret = new byte[32];
    Arrays.fill(secret, (byte) 7);
    KeySet set = KeySet.parse(new JsonObject().put("keys", new JsonArray().add(rsaJwk("r1", rsa))
        .add(new JsonObject().put("kty", "oct").put("kid", "s1").put("k", b64(secret)))), NOW);
    assertThat(set.size()).isEqualTo(1);
    assertThat(check(nimbus(JWSAlgorithm.HS256, "s1", new MACSigner(secret)))).isEqualTo(JwtVerifier.Problem.MALFORMED);
  }

  @Test
  void anEcKeyOffItsCurveIsSkipped() throws Exception {
    JsonObject off = ecJwk("bad", ec);
    ECPublicKey k = (ECPublicKey) ec.getPublic();
    off.put("y", b64(k.getW().getAffineY().add(BigInteger.ONE)));
    KeySet set = KeySet.parse(new JsonObject().put("keys", new JsonArray().add(off).add(ecJwk("e1", ec))), NOW);
    assertThat(set.size()).isEqualTo(1);
    assertThat(set.has("bad")).isFalse();
    assertThat(verifier.verify(sign("ES256", "bad", claims(), ec), set, AUD, NOW).problem())
        .isEqualTo(JwtVerifier.Problem.UNKNOWN_KEY);
  }

  @Test
  void theWarmUpChecksATokenOfEveryKeyType() {
    assertThat(JwtVerifier.warmUp()).isTrue();
  }
}
