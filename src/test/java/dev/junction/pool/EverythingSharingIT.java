package dev.junction.pool;

import static dev.junction.testkit.RawMcp.sessionHeaders;
import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.testkit.Gateway;
import dev.junction.testkit.LogWatch;
import dev.junction.testkit.Node;
import dev.junction.testkit.RawMcp;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Sharing policies made visible by the reference server-everything, whose gzip tool registers a
 * resource that only its own session lists: with {@code sharing: client} a second client of the
 * same tenant never sees the first one's resource; with {@code sharing: tenant} it does.
 */
@ExtendWith(LogWatch.class)
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class EverythingSharingIT {
  private static final String V = "2025-11-25";
  private static final String RESOURCE = "demo://resource/session/secret-of-a.gz";

  private static JsonObject everything(String sharing) {
    return new JsonObject().put("transport", "stdio").put("command", new JsonArray(Node.everythingStdio()))
        .put("sharing", sharing);
  }

  private static String open(RawMcp mcp, String client) {
    RawMcp.Reply init = mcp.post(RawMcp.postHeaders().add("X-Tenant-Id", "one-tenant"), new JsonObject()
        .put("jsonrpc", "2.0").put("id", 0).put("method", "initialize").put("params", new JsonObject()
            .put("protocolVersion", V).put("capabilities", new JsonObject())
            .put("clientInfo", new JsonObject().put("name", client).put("version", "1"))));
    return init.headers().get("Mcp-Session-Id");
  }

  private static RawMcp.Reply post(RawMcp mcp, String session, String method, JsonObject params) {
    return mcp.post(sessionHeaders(session, V).add("X-Tenant-Id", "one-tenant"),
        new JsonObject().put("jsonrpc", "2.0").put("id", 1).put("method", method).put("params", params));
  }

  /** Every resource URI a session sees, across all gateway pages. */
  private static List<String> resources(RawMcp mcp, String session) {
    List<String> uris = new ArrayList<>();
    String cursor = null;
    for (int page = 0; page < 50; page++) {
      JsonObject result = post(mcp, session, "resources/list",
          cursor == null ? new JsonObject() : new JsonObject().put("cursor", cursor)).result();
      result.getJsonArray("resources").forEach(r -> uris.add(((JsonObject) r).getString("uri")));
      cursor = result.getString("nextCursor");
      if (cursor == null) {
        break;
      }
    }
    return uris;
  }

  @Test
  void clientSharingKeepsSessionStateApartAndTenantSharingDoesNot() {
    Node.requireInstalled();
    try (Gateway gateway = Gateway.start(new JsonObject()
            .put("own", everything("client"))
            .put("shared", everything("tenant")));
         RawMcp mcp = new RawMcp(gateway.url("/servers/own/mcp"));
         RawMcp sharedMcp = new RawMcp(gateway.url("/servers/shared/mcp"))) {
      JsonObject gzip = new JsonObject().put("name", "gzip-file-as-resource").put("arguments", new JsonObject()
          .put("name", "secret-of-a.gz").put("data", "data:text/plain;base64,aGVsbG8gZnJvbSBh"));
      String a = open(mcp, "a");
      assertThat(post(mcp, a, "tools/call", gzip).result().getBoolean("isError", false)).isFalse();
      assertThat(resources(mcp, a)).contains(RESOURCE);
      String b = open(mcp, "b");
      assertThat(resources(mcp, b)).doesNotContain(RESOURCE);

      String sharedA = open(sharedMcp, "a");
      assertThat(post(sharedMcp, sharedA, "tools/call", gzip).result().getBoolean("isError", false)).isFalse();
      String sharedB = open(sharedMcp, "b");
      assertThat(resources(sharedMcp, sharedB)).contains(RESOURCE);
    }
  }
}
