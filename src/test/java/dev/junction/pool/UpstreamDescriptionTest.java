package dev.junction.pool;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

/** What negotiation returns is immutable: neither its source nor what it hands out can change it. */
class UpstreamDescriptionTest {
  private static JsonObject result() {
    return new JsonObject()
        .put("protocolVersion", "2025-11-25")
        .put("capabilities", new JsonObject().put("tools", new JsonObject().put("listChanged", true)))
        .put("serverInfo", new JsonObject().put("name", "up").put("version", "1"))
        .put("instructions", "use it")
        .put("futureField", new JsonObject().put("kept", true));
  }

  @Test
  void keepsTheWholeResultAndReadsItsParts() {
    UpstreamDescription d = new UpstreamDescription("2025-11-25", false, result());
    assertThat(d.initializeResult()).isEqualTo(result());
    assertThat(d.capabilities()).isEqualTo(result().getJsonObject("capabilities"));
    assertThat(d.instructions()).isEqualTo("use it");
    UpstreamDescription bare = new UpstreamDescription("2025-06-18", false, new JsonObject());
    assertThat(bare.capabilities()).isEqualTo(new JsonObject());
  }

  @Test
  void neitherTheSourceNorTheCopiesHandedOutChangeIt() {
    JsonObject source = result();
    UpstreamDescription d = new UpstreamDescription("2025-11-25", false, source);
    source.getJsonObject("capabilities").put("prompts", new JsonObject());
    source.put("instructions", "changed");
    d.initializeResult().getJsonObject("capabilities").put("resources", new JsonObject());
    d.capabilities().getJsonObject("tools").put("listChanged", false);
    assertThat(d.initializeResult()).isEqualTo(result());
  }
}
