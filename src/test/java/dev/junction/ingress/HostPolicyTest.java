package dev.junction.ingress;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.config.ConfigLoader;
import dev.junction.config.JunctionConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HostPolicyTest {
  private static JunctionConfig config(String yaml) {
    return parse("auth: {unauthenticated: allow, allowRemoteUnauthenticated: true}\n" + yaml);
  }

  private static JunctionConfig parse(String yaml) {
    return new ConfigLoader(Map.<String, String>of()::get).parse(yaml);
  }

  @Test
  void allowsLoopbackIpAddressesAndTheConfiguredNames() {
    HostPolicy hosts = new HostPolicy(config("""
        listen: {host: gw.internal, port: 8080}
        allowedHosts: [Mcp.Example.com]
        """));
    assertThat(hosts.allows("localhost")).isTrue();
    assertThat(hosts.allows("LOCALHOST.")).isTrue();
    assertThat(hosts.allows("127.0.0.1")).isTrue();
    assertThat(hosts.allows("[::1]")).isTrue();
    assertThat(hosts.allows("::1")).isTrue();
    // a rebinding attack needs a DNS name: any IP literal is safe
    assertThat(hosts.allows("10.0.0.7")).isTrue();
    assertThat(hosts.allows("[fd00::7]")).isTrue();
    assertThat(hosts.allows("gw.internal")).isTrue();
    assertThat(hosts.allows("mcp.example.com")).isTrue();
    assertThat(hosts.allows("rebind.attacker.example")).isFalse();
    assertThat(hosts.allows("localhost.attacker.example")).isFalse();
    assertThat(hosts.allows("127.0.0.1.attacker.example")).isFalse();
  }

  @Test
  void addsTheResourceHostAndAStarAllowsAny() {
    HostPolicy resource =
        new HostPolicy(parse("auth: {unauthenticated: allow, resource: 'https://mcp.example.com/'}\n"));
    assertThat(resource.allows("mcp.example.com")).isTrue();
    assertThat(resource.allows("other.example.com")).isFalse();
    assertThat(new HostPolicy(config("allowedHosts: ['*']\n")).allows("anything.example")).isTrue();
  }

  @Test
  void addsTheManagementHost() {
    HostPolicy hosts = new HostPolicy(config("management: {host: ops.internal, port: 9090}\n"));
    assertThat(hosts.allows("ops.internal")).isTrue();
    assertThat(hosts.allows("rebind.attacker.example")).isFalse();
  }

  @Test
  void mcpPathsAreRecognizedForRefusals() {
    assertThat(Refusal.isMcpPath("/mcp")).isTrue();
    assertThat(Refusal.isMcpPath("/servers/files/mcp")).isTrue();
    assertThat(Refusal.isMcpPath("/v/team/mcp")).isTrue();
    assertThat(Refusal.isMcpPath("/metrics")).isFalse();
    assertThat(Refusal.isMcpPath("/mcpx")).isFalse();
  }
}
