package dev.junction.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class McpMethodTest {

  @Test
  void namedMethodsNameTheirTargetByNameOrUri() {
    assertThat(McpMethod.of("tools/call").targetOf(new JsonObject().put("name", "echo"))).isEqualTo("echo");
    assertThat(McpMethod.of("resources/read").targetOf(new JsonObject().put("uri", "file:///a"))).isEqualTo("file:///a");
    assertThat(McpMethod.of("tools/list").targetOf(new JsonObject().put("name", "x"))).isNull();
    assertThat(McpMethod.of("tools/call").targetOf(new JsonObject().put("name", 3))).isNull();
    assertThat(McpMethod.of("tools/call").targetOf(null)).isNull();
  }

  @Test
  void everyListMethodHasAFieldAndAnItemKeyAndIsSafeToRepeat() {
    assertThat(Arrays.stream(McpMethod.values()).filter(m -> m.listField() != null))
        .extracting(McpMethod::wire)
        .containsExactlyInAnyOrder("tools/list", "prompts/list", "resources/list", "resources/templates/list");
    assertThat(Arrays.stream(McpMethod.values()).filter(m -> m.listField() != null))
        .allMatch(m -> m.itemKey() != null && m.safeToRetry() && m.cacheable());
  }

  @Test
  void aToolCallIsNeverRepeatedBlindlyNorCached() {
    assertThat(McpMethod.TOOLS_CALL.safeToRetry()).isFalse();
    assertThat(McpMethod.TOOLS_CALL.cacheable()).isFalse();
    assertThat(McpMethod.INITIALIZE.stateless()).isFalse();
    assertThat(McpMethod.DISCOVER.stateless()).isTrue();
  }

  @Test
  void labelsAreBounded() {
    assertThat(McpMethod.label("tools/call")).isSameAs(McpMethod.TOOLS_CALL.wire());
    assertThat(McpMethod.label("x/" + System.nanoTime())).isEqualTo("other");
    assertThat(McpMethod.label(null)).isEqualTo("response");
    assertThat(McpMethod.of(null)).isNull();
  }

  @Test
  void mcpNameTakesTheBase64FormOnlyWhenItMustAndDecodesItBack() {
    assertThat(McpMeta.encodeName("echo_tool")).isEqualTo("echo_tool");
    String encoded = McpMeta.encodeName("wetter-\u00fcbersicht");
    assertThat(encoded).startsWith("=?base64?").endsWith("?=");
    assertThat(McpMeta.decodeName(encoded)).isEqualTo("wetter-\u00fcbersicht");
    assertThat(McpMeta.decodeName("line\nbreak")).isEqualTo("line\nbreak");
    assertThat(McpMeta.encodeName("line\nbreak")).startsWith("=?base64?");
    assertThat(McpMeta.decodeName("=?base64?***?=")).isNull();
    assertThat(McpMeta.decodeName("=?base64?=")).isEqualTo("=?base64?=");
  }
}
