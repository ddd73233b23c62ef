package dev.junction.error;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import org.junit.jupiter.api.Test;

class JunctionExceptionTest {

  @Test
  void aFailuresOwnMessageIsItsDescription() {
    assertThat(JunctionException.describe(new ConnectException("Connection refused"))).isEqualTo("Connection refused");
    assertThat(JunctionException.describe(new JunctionException(JunctionError.UPSTREAM_UNAVAILABLE, "circuit open")))
        .isEqualTo("Upstream unavailable: circuit open");
  }

  @Test
  void programmingErrorsAndSilentFailuresAreDescribedOnlyByAReference() {
    String npe = JunctionException.describe(new NullPointerException(
        "Cannot invoke \"io.vertx.core.json.JsonObject.getString(String)\" because \"params\" is null"));
    String silent = JunctionException.describe(new RuntimeException());
    for (String text : new String[] {npe, silent}) {
      assertThat(text).matches("unexpected failure \\(ref [0-9a-f-]{36}\\)");
      assertThat(text).doesNotContain("JsonObject").doesNotContain("Exception").doesNotContain("io.vertx");
    }
    assertThat(npe).isNotEqualTo(silent);
  }

  @Test
  void anUpstreamsStatelessErrorsKeepTheirHttpStatus() {
    // basic/transports/streamable-http (2026-07-28): header validation, a missing client capability
    // and an unsupported version are 400, an unknown method 404; other errors travel in a 200
    assertThat(JunctionError.statelessStatusOf(-32020)).isEqualTo(400);
    assertThat(JunctionError.statelessStatusOf(-32021)).isEqualTo(400);
    assertThat(JunctionError.statelessStatusOf(-32022)).isEqualTo(400);
    assertThat(JunctionError.statelessStatusOf(-32602)).isEqualTo(400);
    assertThat(JunctionError.statelessStatusOf(-32601)).isEqualTo(404);
    assertThat(JunctionError.statelessStatusOf(-32603)).isEqualTo(200);
    assertThat(JunctionError.statelessStatusOf(-32001)).isEqualTo(200);
  }
}
