package dev.junction.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeployOptionsTest {
  private final ConfigLoader loader = new ConfigLoader(Map.<String, String>of()::get);

  private static final String UPSTREAM = """
      upstreams:
        demo: {transport: stdio, command: [x]}
      """;

  @Test
  void managementAndShutdownHaveDefaults() {
    JunctionConfig c = loader.parse("auth: {unauthenticated: allow}\n" + UPSTREAM);
    assertThat(c.management()).isNull();
    assertThat(c.shutdown()).isEqualTo(new ShutdownOptions(5_000, 30_000));
  }

  @Test
  void readsManagementAndShutdown() {
    JunctionConfig c = loader.parse("""
        auth: {unauthenticated: allow}
        listen: {host: 127.0.0.1, port: 8080}
        management: {port: 9090}
        shutdown: {drainDelay: 0s, timeout: 2m}
        """ + UPSTREAM);
    assertThat(c.management()).isEqualTo(new ManagementOptions("127.0.0.1", 9090));
    assertThat(c.shutdown()).isEqualTo(new ShutdownOptions(0, 120_000));
    assertThat(c.toJson().getJsonObject("management").getInteger("port")).isEqualTo(9090);
    assertThat(c.toJson().getJsonObject("shutdown").getString("timeout")).isEqualTo("120s");
  }

  @Test
  void reportsEveryBadKeyWithItsPath() {
    assertThatThrownBy(() -> loader.parse("""
        auth: {unauthenticated: allow, allowRemoteUnauthenticated: sure}
        listen: {port: 8080}
        management: {host: 0.0.0.0, port: 8080, path: /x}
        shutdown: {drainDelay: -1s, timeout: 0s, grace: 1s}
        """ + UPSTREAM)).isInstanceOf(ConfigException.class)
        .extracting(e -> ((ConfigException) e).errors()).asInstanceOf(
            org.assertj.core.api.InstanceOfAssertFactories.list(String.class))
        .contains("auth.allowRemoteUnauthenticated: must be true or false",
            "management.path: unknown key",
            "management.port: must differ from listen.port (8080)",
            "shutdown.grace: unknown key",
            "shutdown.timeout: must be a positive duration such as 30s")
        .anySatisfy(e -> assertThat(e).startsWith("shutdown.drainDelay: must be a duration"));
    assertThatThrownBy(() -> loader.parse("auth: {unauthenticated: allow}\nmanagement: {host: 0.0.0.0}\n" + UPSTREAM))
        .hasMessageContaining("management.port: is required");
  }

  @Test
  void unauthenticatedOnANonLoopbackHostIsRefused() {
    for (String host : new String[] {"0.0.0.0", "::", "10.1.2.3", "junction.example.com"}) {
      assertThatThrownBy(() -> loader.parse("auth: {unauthenticated: allow}\nlisten: {host: \"" + host + "\"}\n"
          + UPSTREAM)).as(host).isInstanceOf(ConfigException.class)
          .hasMessageContaining("auth.unauthenticated: allow on listen.host " + host + ", which is not a loopback")
          .hasMessageContaining("auth.allowRemoteUnauthenticated: true");
    }
  }

  @Test
  void anAuthenticatingProxyInFrontIsSaidExplicitly() {
    JunctionConfig c = loader.parse("""
        auth: {unauthenticated: allow, allowRemoteUnauthenticated: true}
        listen: {host: 0.0.0.0}
        """ + UPSTREAM);
    assertThat(c.host()).isEqualTo("0.0.0.0");
  }

  @Test
  void loopbackHostsNeedNoFlag() {
    for (String host : new String[] {"127.0.0.1", "127.1.2.3", "localhost", "::1", "[::1]"}) {
      assertThat(loader.parse("auth: {unauthenticated: allow}\nlisten: {host: \"" + host + "\"}\n" + UPSTREAM)
          .host()).isEqualTo(host);
    }
  }

  @Test
  void theShippedConfigStillLoads() {
    assertThat(loader.load(Path.of("conf/junction.yaml")).host()).isEqualTo("127.0.0.1");
    // the same file with JUNCTION_HOST=0.0.0.0 (a container) is refused: it lets everyone in
    assertThatThrownBy(() -> new ConfigLoader(Map.of("JUNCTION_HOST", "0.0.0.0")::get)
        .load(Path.of("conf/junction.yaml"))).hasMessageContaining("not a loopback address");
  }
}
