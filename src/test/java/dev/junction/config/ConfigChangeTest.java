package dev.junction.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What a reload would change: restart-only settings keep their running values; upstreams are diffed by name. */
class ConfigChangeTest {
  private static final String BASE = """
      listen: {port: 8080}
      shards: 2
      auth: {unauthenticated: allow}
      upstreams:
        a: {transport: streamable-http, url: "http://127.0.0.1:1/mcp"}
        b: {transport: stdio, command: [x]}
      """;

  private static JunctionConfig parse(String yaml) {
    return new ConfigLoader(name -> null).parse(yaml);
  }

  @Test
  void theSameFileChangesNothing() {
    ConfigChange change = ConfigChange.between(parse(BASE), parse(BASE));
    assertThat(change.same()).isTrue();
    assertThat(change.needsRestart()).isEmpty();
    assertThat(change.upstreamsChanged()).isFalse();
  }

  @Test
  void restartOnlySettingsKeepTheirRunningValuesAndAreListed() {
    JunctionConfig running = parse(BASE);
    ConfigChange change = ConfigChange.between(running, parse(BASE.replace("8080", "9090").replace("shards: 2",
        "shards: 3") + "management: {port: 9091}\n"));
    assertThat(change.needsRestart()).containsExactly("listen.port", "shards", "management");
    assertThat(change.effective().port()).isEqualTo(8080);
    assertThat(change.effective().shards()).isEqualTo(2);
    assertThat(change.effective().management()).isNull();
    assertThat(change.same()).isTrue();
  }

  @Test
  void theResourceUrlNeedsARestartWhileTheRestOfAuthApplies() {
    String running = BASE.replace("auth: {unauthenticated: allow}",
        "auth: {unauthenticated: allow, resource: https://a.example}");
    String next = BASE.replace("auth: {unauthenticated: allow}",
        "auth: {unauthenticated: allow, resource: https://b.example, apiKeyHeader: x-key}");
    ConfigChange change = ConfigChange.between(parse(running), parse(next));
    assertThat(change.needsRestart()).containsExactly("auth.resource");
    assertThat(change.effective().auth().resource()).isEqualTo("https://a.example");
    assertThat(change.effective().auth().apiKeyHeader()).isEqualTo("x-key");
    assertThat(change.same()).isFalse();
  }

  @Test
  void restartKeysAreFoundAtAnyDepthAndTheirSectionsAsAWhole() {
    String running = BASE.replace("auth: {unauthenticated: allow}",
        "auth: {unauthenticated: allow, oauth: {issuer: https://a.example}}");
    String next = BASE.replace("auth: {unauthenticated: allow}",
        "auth: {unauthenticated: allow, oauth: {issuer: https://b.example, leeway: 5s}}")
        + "tracing: {endpoint: http://127.0.0.1:4318/v1/traces}\nlistCacheTtl: 5s\n";
    ConfigChange change = ConfigChange.between(parse(running), parse(next));
    assertThat(change.needsRestart()).containsExactly("auth.oauth.issuer", "tracing");
    assertThat(change.effective().auth().issuer()).isEqualTo("https://a.example");
    assertThat(change.effective().auth().leewayMs()).isEqualTo(5_000);
    assertThat(change.effective().tracing()).isEqualTo(parse(running).tracing());
    assertThat(change.effective().listCacheTtlMs()).isEqualTo(5_000);
  }

  @Test
  void upstreamsAreAddedRemovedAndChangedByName() {
    String next = """
        listen: {port: 8080}
        shards: 2
        auth: {unauthenticated: allow}
        upstreams:
          b: {transport: stdio, command: [y]}
          c: {transport: stdio, command: [z]}
        """;
    ConfigChange change = ConfigChange.between(parse(BASE), parse(next));
    assertThat(change.added()).containsExactly("c");
    assertThat(change.removed()).containsExactly("a");
    assertThat(change.changed()).containsExactly("b");
    assertThat(change.same()).isFalse();
    assertThat(change.needsRestart()).isEmpty();
  }
}
