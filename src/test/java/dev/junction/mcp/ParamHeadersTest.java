package dev.junction.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.MultiMap;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParamHeadersTest {
  private static String base64(String value) {
    return "=?base64?" + Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)) + "?=";
  }

  @Test
  void collectsMcpParamHeadersWhateverTheirCase() {
    MultiMap h = MultiMap.caseInsensitiveMultiMap().add("Mcp-Method", "tools/call").add("Mcp-Name", "sql")
        .add("Mcp-Param-Region", "us-west1").add("mcp-param-tenant", base64("Hello, 世界")).add("Accept", "*/*");
    assertThat(ParamHeaders.of(h)).containsExactly(Map.entry("Mcp-Param-Region", "us-west1"),
        Map.entry("mcp-param-tenant", base64("Hello, 世界")));
  }

  @Test
  void noneIsNull() {
    MultiMap h = MultiMap.caseInsensitiveMultiMap().add("Mcp-Method", "tools/call").add("Mcp-Param-", "no name");
    assertThat(ParamHeaders.of(h)).isNull();
  }

  @Test
  void literalsAndCanonicalBase64AreWellFormed() {
    assertThat(ParamHeaders.wellFormed("us-west1")).isTrue();
    assertThat(ParamHeaders.wellFormed(base64("Hello"))).isTrue();
    assertThat(ParamHeaders.wellFormed(" " + base64("Hello") + " ")).isTrue();
    assertThat(ParamHeaders.wellFormed("=?base64??=")).isTrue(); // the empty string
    // without the whole sentinel, a value is a literal (SEP-2243's test-case table)
    assertThat(ParamHeaders.wellFormed("SGVsbG8=")).isTrue();
    assertThat(ParamHeaders.wellFormed("=?base64?SGVsbG8=")).isTrue();
    assertThat(ParamHeaders.wellFormed("SGVsbG8=?=")).isTrue();
  }

  @Test
  void badBase64IsMalformed() {
    assertThat(ParamHeaders.wellFormed("=?base64?SGVsbG8?=")).as("missing padding").isFalse();
    assertThat(ParamHeaders.wellFormed("=?base64?SGVs!!!bG8=?=")).as("outside the alphabet").isFalse();
    assertThat(ParamHeaders.wellFormed("=?base64?SGVsbG8=A=?=")).as("padding inside").isFalse();
    assertThat(ParamHeaders.wellFormed("=?base64?SGVsbG8_?=")).as("the URL-safe alphabet").isFalse();
  }

  @Test
  void aRepeatedOrMalformedHeaderIsNamed() {
    MultiMap ok = MultiMap.caseInsensitiveMultiMap().add("Mcp-Param-A", "1").add("Mcp-Param-B", base64("x"));
    assertThat(ParamHeaders.malformed(ok, ParamHeaders.of(ok))).isNull();
    MultiMap twice = MultiMap.caseInsensitiveMultiMap().add("Mcp-Param-A", "1").add("mcp-param-a", "2");
    assertThat(ParamHeaders.malformed(twice, ParamHeaders.of(twice))).isEqualTo("Mcp-Param-A");
    MultiMap bad = MultiMap.caseInsensitiveMultiMap().add("Mcp-Param-A", "1").add("Mcp-Param-B", "=?base64?x?=");
    assertThat(ParamHeaders.malformed(bad, ParamHeaders.of(bad))).isEqualTo("Mcp-Param-B");
  }
}
