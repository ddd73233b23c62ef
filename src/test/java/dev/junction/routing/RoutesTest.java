package dev.junction.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.junction.config.ConfigLoader;
import dev.junction.config.JunctionConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RoutesTest {
  private final JunctionConfig config = new ConfigLoader(Map.<String, String>of()::get).parse("""
      auth: {unauthenticated: allow}
      upstreams:
        files: {transport: stdio, command: [x], alias: fs}
        web-search: {transport: stdio, command: [y]}
      """);
  private final Routes routes = new Routes(config);

  @Test
  void aggregateNamesArePrefixedAndSplitOnTheFirstUnderscore() {
    assertThat(routes.exposed(Endpoint.AGGREGATE, "files", "read_file")).isEqualTo("fs_read_file");
    assertThat(routes.resolve(Endpoint.AGGREGATE, "fs_read_file")).isEqualTo(new Routes.Target("files", "read_file"));
    assertThat(routes.resolve(Endpoint.AGGREGATE, "web-search_go")).isEqualTo(new Routes.Target("web-search", "go"));
    assertThat(routes.resolve(Endpoint.AGGREGATE, "files_read")).isNull(); // the name is not the prefix
    assertThat(routes.resolve(Endpoint.AGGREGATE, "nounderscore")).isNull();
    assertThat(routes.resolve(Endpoint.AGGREGATE, "_x")).isNull();
  }

  @Test
  void aSingleServerEndpointKeepsNames() {
    Endpoint files = Endpoint.server("files");
    assertThat(routes.exposed(files, "files", "read_file")).isEqualTo("read_file");
    assertThat(routes.resolve(files, "read_file")).isEqualTo(new Routes.Target("files", "read_file"));
    assertThat(routes.upstreams(files)).containsExactly("files");
    assertThat(routes.upstreams(Endpoint.AGGREGATE)).containsExactly("files", "web-search");
  }
}
