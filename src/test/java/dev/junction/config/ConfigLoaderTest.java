package dev.junction.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.junction.binding.Key;
import dev.junction.binding.Sizes;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigLoaderTest {
  private final ConfigLoader loader = new ConfigLoader(Map.of("PORT", "9191", "TOKEN", "s3cret", "EMPTY", "")::get);

  @Test
  void readsTheDocumentedKeysAndSubstitutesEnvironment() {
    JunctionConfig c = loader.parse("""
        auth: {unauthenticated: allow, allowRemoteUnauthenticated: true}
        listen: {host: 0.0.0.0, port: "${PORT}"}
        upstreams:
          files:
            transport: stdio
            command: [node, server.js, "${MISSING:-fallback}"]
            env: {K: V}
            cwd: /srv
            alias: fs
          remote:
            transport: streamable-http
            url: http://127.0.0.1:1/mcp
            headers: {Authorization: "Bearer ${TOKEN}"}
            requestTimeout: 5s
        """);
    assertThat(c.host()).isEqualTo("0.0.0.0");
    assertThat(c.port()).isEqualTo(9191);
    assertThat(c.upstreams()).containsOnlyKeys("files", "remote");
    UpstreamOptions files = c.upstreams().get("files");
    assertThat(files.command()).containsExactly("node", "server.js", "fallback");
    assertThat(files.env()).containsEntry("K", "V");
    assertThat(files.cwd()).isEqualTo("/srv");
    assertThat(files.prefix()).isEqualTo("fs");
    UpstreamOptions remote = c.upstreams().get("remote");
    assertThat(remote.headers()).containsEntry("Authorization", "Bearer s3cret");
    assertThat(remote.requestTimeoutMs()).isEqualTo(5_000);
    assertThat(remote.prefix()).isEqualTo("remote");
    // secrets are masked when the config is shown
    assertThat(c.toJson().encode()).doesNotContain("s3cret");
  }

  @Test
  void anEmptyFileMustStillSayHowClientsAuthenticate() {
    assertThatThrownBy(() -> loader.parse("")).isInstanceOfSatisfying(ConfigException.class,
        e -> assertThat(e.errors()).singleElement().asString().startsWith("auth: required."));
  }

  @Test
  void defaultsApplyWhenOnlyAuthIsSet() {
    JunctionConfig c = loader.parse("auth: {unauthenticated: allow}");
    assertThat(c.host()).isEqualTo(JunctionConfig.DEFAULT_HOST);
    assertThat(c.port()).isEqualTo(JunctionConfig.DEFAULT_PORT);
    assertThat(c.upstreams()).isEmpty();
    assertThat(c.vertxMeters()).isFalse();
  }

  @Test
  void vertxMetersAreAnOption() {
    assertThat(loader.parse("auth: {unauthenticated: allow}\nmetrics: {vertx: true}").vertxMeters()).isTrue();
    assertThatThrownBy(() -> loader.parse("auth: {unauthenticated: allow}\nmetrics: {vertx: yes please, http: 1}"))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors())
            .contains("metrics.vertx: must be true or false").anyMatch(err -> err.startsWith("metrics.http:")));
  }

  @Test
  void upstreamAuthProblemsNameTheModeAsTheFileSpellsIt() {
    assertThatThrownBy(() -> loader.parse("""
        auth: {unauthenticated: allow}
        upstreams:
          web:
            transport: streamable-http
            url: http://127.0.0.1:2/mcp
            auth: {mode: refresh-token, clientId: gw}
          local:
            transport: stdio
            command: [node, server.js]
            auth: {mode: client-credentials, clientId: gw}
        """)).isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors()).containsExactlyInAnyOrder(
            "upstreams.web.auth.tokenUrl: required for refresh-token",
            "upstreams.web.auth.refreshToken: required for refresh-token",
            "upstreams.local.auth.mode: client-credentials needs an HTTP upstream (a stdio upstream takes its"
                + " credentials from env)"));
  }

  @Test
  void emptyVariableTakesTheDefault() {
    JunctionConfig c = loader.parse("auth: {unauthenticated: allow, allowRemoteUnauthenticated: true}\n"
        + "listen: {host: \"${EMPTY:-10.0.0.1}\"}");
    assertThat(c.host()).isEqualTo("10.0.0.1");
  }

  @Test
  void reportsEveryErrorWithItsPath() {
    assertThatThrownBy(() -> loader.parse("""
        auth: {unauthenticated: allow}
        listen: {port: 70000, hots: x}
        colour: blue
        upstreams:
          Bad_Name:
            transport: stdio
            command: [x]
          web:
            transport: streamable-http
            url: ftp://nope
            command: [x]
          noproc:
            transport: stdio
          weird:
            transport: carrier-pigeon
          secret:
            transport: stdio
            command: ["${NOT_SET}"]
          aliased:
            transport: stdio
            command: [x]
            alias: has_underscore
          slow:
            transport: stdio
            command: [x]
            requestTimeout: soon
          legacy:
            transport: sse
            url: http://127.0.0.1:1/sse
            command: [x]
        """))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors()).contains(
            "listen.port: must be 0..65535, got 70000",
            "listen.hots: unknown key",
            "colour: unknown key",
            "upstreams.Bad_Name: the name must match [a-z0-9-]+",
            "upstreams.web.url: must be an http:// or https:// URL",
            "upstreams.web.command: only for stdio upstreams",
            "upstreams.noproc.command: is required",
            "upstreams.weird.transport: must be one of stdio, streamable-http, sse; got 'carrier-pigeon'",
            "upstreams.secret.command[0]: environment variable NOT_SET is not set and has no default",
            "upstreams.aliased.alias: must match [a-z0-9-]+ ('_' separates the prefix from the name)",
            "upstreams.slow.requestTimeout: must be a positive duration such as 30s",
            "upstreams.legacy.command: only for stdio upstreams"));
  }

  @Test
  void sizeLimitsOfHttpUpstreams() {
    JunctionConfig c = loader.parse("""
        auth: {unauthenticated: allow}
        upstreams:
          plain:
            transport: streamable-http
            url: http://127.0.0.1:1/mcp
          sized:
            transport: streamable-http
            url: http://127.0.0.1:2/mcp
            maxEventSize: 512KiB
            maxResponseSize: 2097152
        """);
    UpstreamOptions plain = c.upstreams().get("plain");
    assertThat(plain.maxEventSize()).isEqualTo(16 * 1024 * 1024);
    assertThat(plain.maxResponseSize()).isEqualTo(16 * 1024 * 1024);
    UpstreamOptions sized = c.upstreams().get("sized");
    assertThat(sized.maxEventSize()).isEqualTo(512 * 1024);
    assertThat(sized.maxResponseSize()).isEqualTo(2 * 1024 * 1024);
    var shown = c.toJson().getJsonObject("upstreams").getJsonObject("sized");
    assertThat(shown.getString("maxEventSize")).isEqualTo("512KiB");
    assertThat(shown.getString("maxResponseSize")).isEqualTo("2MiB");
    assertThat(Sizes.format(1536)).isEqualTo("1536 B");
    assertThat(Key.Unit.BYTES.parse("1 GiB")).isEqualTo(1L << 30);

    assertThatThrownBy(() -> loader.parse("""
        auth: {unauthenticated: allow}
        upstreams:
          web:
            transport: streamable-http
            url: http://127.0.0.1:1/mcp
            maxEventSize: 16MB
            maxResponseSize: 2GiB
          local:
            transport: stdio
            command: [x]
            maxEventSize: 0
        """))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors()).containsExactlyInAnyOrder(
            "upstreams.web.maxEventSize: must be a positive size such as 16MiB, 512KiB or a number of bytes",
            "upstreams.web.maxResponseSize: must be at most 1GiB",
            "upstreams.local.maxEventSize: only for streamable-http and sse upstreams",
            "upstreams.local.maxEventSize: must be a positive size such as 16MiB, 512KiB or a number of bytes"));
  }

  @Test
  void stdioChildrenTakeNamedVariablesAndAWorkRoot() {
    JunctionConfig c = loader.parse("""
        auth: {unauthenticated: allow}
        stdio: {workRoot: /var/lib/junction/stdio}
        upstreams:
          files: {transport: stdio, command: [x], inheritEnv: [GITHUB_TOKEN, _X1]}
        """);
    assertThat(c.stdioWorkRoot()).isEqualTo("/var/lib/junction/stdio");
    assertThat(c.upstreams().get("files").inheritEnv()).containsExactly("GITHUB_TOKEN", "_X1");
    assertThat(loader.parse("auth: {unauthenticated: allow}").stdioWorkRoot())
        .isEqualTo(JunctionConfig.defaultStdioWorkRoot()).endsWith("junction-stdio");
  }

  @Test
  void inheritEnvTakesNamesOnly() {
    assertThatThrownBy(() -> loader.parse("""
        auth: {unauthenticated: allow}
        stdio: {workRoot: relative/dir, other: 1}
        upstreams:
          files: {transport: stdio, command: [x], inheritEnv: [OK, "TOKEN=abc", "1ST"]}
          listed: {transport: stdio, command: [x], inheritEnv: PATH}
          web: {transport: streamable-http, url: "http://127.0.0.1:1/mcp", inheritEnv: [HOME]}
        """)).isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors()).containsExactlyInAnyOrder(
            "stdio.workRoot: must be an absolute directory path",
            "stdio.other: unknown key",
            "upstreams.files.inheritEnv[1]: must be a variable name ([A-Za-z_][A-Za-z0-9_]*), not a value",
            "upstreams.files.inheritEnv[2]: must be a variable name ([A-Za-z_][A-Za-z0-9_]*), not a value",
            "upstreams.listed.inheritEnv: must be a list",
            "upstreams.web.inheritEnv: only for stdio upstreams"));
  }

  @Test
  void requireJwtTypeIsAnOptInFlag() {
    String oauth = "auth: {oauth: {issuer: 'https://as.test', requireJwtType: %s}}";
    assertThat(loader.parse("auth: {oauth: {issuer: 'https://as.test'}}").auth().requireJwtType()).isFalse();
    assertThat(loader.parse(oauth.formatted("true")).auth().requireJwtType()).isTrue();
    assertThatThrownBy(() -> loader.parse(oauth.formatted("maybe"))).isInstanceOfSatisfying(ConfigException.class,
        e -> assertThat(e.errors()).containsExactly("auth.oauth.requireJwtType: must be true or false"));
  }

  @Test
  void aTakenAliasFallsBackToTheName() {
    JunctionConfig c = loader.parse("""
        auth: {unauthenticated: allow}
        upstreams:
          one: {transport: stdio, command: [x], alias: same}
          two: {transport: stdio, command: [y], alias: same}
        """);
    assertThat(c.upstreams().get("one").prefix()).isEqualTo("same");
    assertThat(c.upstreams().get("two").prefix()).isEqualTo("two");
  }

  @Test
  void aNameTakenAsAnotherUpstreamsPrefixIsAnError() {
    assertThatThrownBy(() -> loader.parse("""
        auth: {unauthenticated: allow}
        upstreams:
          one: {transport: stdio, command: [x], alias: two}
          two: {transport: stdio, command: [y]}
        """))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors())
            .containsExactly("upstreams.two: prefix 'two' is already used by upstream one; set a free alias"));
  }

  @Test
  void virtualServersAndListOptions() {
    JunctionConfig c = loader.parse("""
        auth: {unauthenticated: allow}
        failureMode: closed
        listCacheTtl: 0
        upstreams:
          a: {transport: stdio, command: [x], listTimeout: 250ms}
          b: {transport: stdio, command: [y]}
        virtualServers:
          safe:
            upstreams: [a]
            tools: {allow: ["a_*"], deny: ["a_rm*"]}
            failureMode: open
        """);
    assertThat(c.failureMode()).isEqualTo(FailureMode.CLOSED);
    assertThat(c.listCacheTtlMs()).isZero();
    assertThat(c.upstreams().get("a").listTimeoutMs()).isEqualTo(250);
    VirtualServerOptions safe = c.virtualServers().get("safe");
    assertThat(safe.upstreams()).containsExactly("a");
    assertThat(safe.allow()).containsExactly("a_*");
    assertThat(safe.deny()).containsExactly("a_rm*");
    assertThat(safe.failureMode()).isEqualTo(FailureMode.OPEN);
    assertThatThrownBy(() -> loader.parse("""
        auth: {unauthenticated: allow}
        failureMode: maybe
        upstreams:
          a: {transport: stdio, command: [x]}
        virtualServers:
          v: {upstreams: [a, zzz], tools: {allow: [x], permit: [y]}}
        """))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors()).containsExactlyInAnyOrder(
            "failureMode: must be open or closed; got 'maybe'",
            "virtualServers.v.upstreams[1]: no upstream named 'zzz'",
            "virtualServers.v.tools.permit: unknown key"));
  }

  @Test
  void substitutionCannotChangeTheStructure() {
    ConfigLoader hostile = new ConfigLoader(Map.of("H", "x}\nupstreams: {evil: {transport: stdio}}")::get);
    JunctionConfig c = hostile.parse("auth: {unauthenticated: allow, allowRemoteUnauthenticated: true}\n"
        + "listen: {host: \"${H}\"}");
    assertThat(c.upstreams()).isEmpty();
    assertThat(c.host()).startsWith("x}");
  }

  @Test
  void notYamlIsReported() {
    assertThatThrownBy(() -> loader.parse("listen: [unclosed"))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.errors().get(0)).contains("not valid YAML"));
  }
}
