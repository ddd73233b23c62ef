package dev.junction.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.junction.bus.KeySet;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

/**
 * Fuzzes the JWT check with tokens whose header and claims the fuzzer writes and the issuer's own
 * key signs (ES256), so mutations reach past the signature into header and claims handling. Input:
 * the header, a NUL byte, the claims; without a NUL the input is the whole token as a client sent
 * it. {@link JwtVerifier#verify} must never throw, and a token it accepts must have an allowed
 * algorithm, no {@code crit}, the issuer, an accepted audience and a lifetime around now. Seeds:
 * {@code src/test/resources/dev/junction/ingress/JwtVerifierFuzzTestInputs/token}.
 */
class JwtVerifierFuzzTest {
  private static final String ISS = "https://as.test";
  private static final List<String> AUD = List.of("https://gw.test");
  private static final long NOW = 1_800_000_000_000L;
  private static final long LEEWAY_MS = 30_000;
  private static final KeyPair EC = ec();
  private static final KeySet KEYS = KeySet.parse(new JsonObject().put("keys", new JsonArray().add(new JsonObject()
      .put("kty", "EC").put("kid", "e1").put("crv", "P-256")
      .put("x", b64(((ECPublicKey) EC.getPublic()).getW().getAffineX()))
      .put("y", b64(((ECPublicKey) EC.getPublic()).getW().getAffineY())))), NOW);
  private static final JwtVerifier VERIFIER = new JwtVerifier(ISS, LEEWAY_MS, false);

  private static KeyPair ec() {
    try {
      KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
      g.initialize(new ECGenParameterSpec("secp256r1"));
      return g.generateKeyPair();
    } catch (GeneralSecurityException e) {
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

  private static String signed(byte[] header, byte[] claims) throws GeneralSecurityException {
    String input = b64(header) + "." + b64(claims);
    Signature s = Signature.getInstance("SHA256withECDSAinP1363Format");
    s.initSign(EC.getPrivate());
    s.update(input.getBytes(StandardCharsets.US_ASCII));
    return input + "." + b64(s.sign());
  }

  @FuzzTest(maxDuration = "10s")
  @DictionaryEntries({"\"alg\"", "\"ES256\"", "\"RS256\"", "\"none\"", "\"HS256\"", "\"EdDSA\"", "\"kid\"", "\"e1\"",
      "\"typ\"", "\"at+jwt\"", "\"crit\"", "\"b64\"", "\"iss\"", "\"https://as.test\"", "\"aud\"",
      "\"https://gw.test\"", "\"exp\"", "\"nbf\"", "1800000060", "1799999999", "null", "[]", "{}", "1e400", "-1"})
  void token(byte[] input) throws GeneralSecurityException {
    int nul = -1;
    for (int i = 0; i < input.length && nul < 0; i++) {
      nul = input[i] == 0 ? i : -1;
    }
    String token = nul < 0 ? new String(input, StandardCharsets.UTF_8)
        : signed(Arrays.copyOfRange(input, 0, nul), Arrays.copyOfRange(input, nul + 1, input.length));
    JwtVerifier.Result r = VERIFIER.verify(token, KEYS, AUD, NOW);
    assertThat(r.ok()).isEqualTo(r.problem() == null);
    if (!r.ok()) {
      assertThat(r.claims()).isNull();
      return;
    }
    JsonObject header = new JsonObject(new String(Base64.getUrlDecoder().decode(token.substring(0, token.indexOf('.'))),
        StandardCharsets.UTF_8));
    assertThat(header.getValue("alg")).isEqualTo("ES256");
    assertThat(header.containsKey("crit")).isFalse();
    JsonObject claims = r.claims();
    assertThat(claims.getValue("iss")).isEqualTo(ISS);
    Object aud = claims.getValue("aud");
    assertThat(aud instanceof JsonArray a ? a.getList() : List.of(aud)).containsAnyElementsOf(AUD);
    assertThat(claims.getValue("exp")).isInstanceOf(Number.class);
    assertThat(((Number) claims.getValue("exp")).longValue() * 1000 + LEEWAY_MS).isGreaterThanOrEqualTo(NOW);
    if (claims.getValue("nbf") instanceof Number nbf) {
      assertThat(nbf.longValue() * 1000 - LEEWAY_MS).isLessThanOrEqualTo(NOW);
    }
  }
}
