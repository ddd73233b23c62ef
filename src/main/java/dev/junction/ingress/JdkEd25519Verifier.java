package dev.junction.ingress;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.jca.JCAContext;
import com.nimbusds.jose.util.Base64URL;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Set;

/**
 * Checks an EdDSA signature with an Ed25519 key (RFC 8037 3.1) through the JDK, for Nimbus's JWT
 * processor: Nimbus's own Ed25519 verifier needs Tink, an optional dependency Junction leaves out.
 * Like Nimbus's verifiers, it refuses a header with critical extensions, since it understands none
 * (RFC 7515 4.1.11). Made for one check.
 */
final class JdkEd25519Verifier implements JWSVerifier {
  private final PublicKey key;
  private final JCAContext jca = new JCAContext();

  JdkEd25519Verifier(PublicKey key) {
    this.key = key;
  }

  @Override
  public Set<JWSAlgorithm> supportedJWSAlgorithms() {
    return Set.of(JWSAlgorithm.EdDSA);
  }

  @Override
  public JCAContext getJCAContext() {
    return jca;
  }

  @Override
  public boolean verify(JWSHeader header, byte[] signingInput, Base64URL signature) {
    if (!JWSAlgorithm.EdDSA.equals(header.getAlgorithm()) || header.getCriticalParams() != null) {
      return false;
    }
    try {
      Signature s = Signature.getInstance("Ed25519");
      s.initVerify(key);
      s.update(signingInput);
      return s.verify(signature.decode());
    } catch (GeneralSecurityException | RuntimeException e) {
      return false;
    }
  }
}
