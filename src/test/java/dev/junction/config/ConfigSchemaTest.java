package dev.junction.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.junction.binding.Key;
import java.io.IOException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code conf/junction.schema.json} is what the config records describe, and the shipped config
 * files pass it. Regenerate the file with {@code -Djunction.schema.write=true}.
 */
class ConfigSchemaTest {
  private static final Path FILE = Path.of("conf/junction.schema.json");

  @Test
  void theCheckedInSchemaIsTheOneTheRecordsDescribe() throws IOException {
    if (Boolean.getBoolean("junction.schema.write")) {
      Files.writeString(FILE, ConfigLoader.schema());
    }
    assertThat(Files.readString(FILE))
        .as("conf/junction.schema.json is stale: run ConfigSchemaTest with -Djunction.schema.write=true")
        .isEqualTo(ConfigLoader.schema());
  }

  @Test
  void everyKeyOfTheRecordsIsInTheSchemaAndNoOther() throws IOException {
    TreeSet<String> fromRecords = new TreeSet<>();
    keys(JunctionConfig.class, "", fromRecords);
    TreeSet<String> fromSchema = new TreeSet<>();
    properties(new ObjectMapper().readTree(FILE.toFile()), "", fromSchema);
    assertThat(fromRecords).contains("listen.port", "upstreams.*.pool.maxSessions", "pool.circuit!moved",
        "auth.oauth.introspection.cache", "auth.apiKeys[].sha256", "health.reconnect.jitter");
    fromRecords.removeIf(k -> k.endsWith("!moved"));
    assertThat(fromSchema).containsExactlyElementsOf(fromRecords);
  }

  @Test
  void theShippedConfigFilesPassTheSchemaAndLoad() throws IOException {
    Schema schema = schema();
    List<Path> files;
    try (Stream<Path> conf = Files.list(Path.of("conf"))) {
      files = conf.filter(f -> f.toString().endsWith(".yaml")).toList();
    }
    assertThat(files).isNotEmpty();
    for (Path file : files) {
      String yaml = Files.readString(file);
      assertThat(schema.validate(yaml, InputFormat.YAML)).as(file.toString()).isEmpty();
      assertThat(new ConfigLoader(Map.<String, String>of()::get).parse(yaml).upstreams()).as(file.toString())
          .isNotEmpty();
    }
  }

  @Test
  void theSchemaRefusesWhatTheLoaderRefuses() {
    List<Error> errors = schema().validate("""
        auth: {unauthenticated: maybe}
        listen: {port: 70000, hots: x}
        pool: {circuit: {failureThreshold: 3}}
        upstreams:
          web: {transport: carrier-pigeon, url: "http://127.0.0.1:1/mcp", requestTimeout: soon}
        """, InputFormat.YAML);
    assertThat(errors).extracting(e -> e.getInstanceLocation().toString()).contains("/auth/unauthenticated",
        "/listen/port", "/listen", "/pool", "/upstreams/web/transport", "/upstreams/web/requestTimeout");
    assertThat(schema().validate("port: 1", InputFormat.YAML)).isNotEmpty();
    assertThat(schema().validate("listen: {port: \"${PORT:-8080}\"}\nrateLimit: {rate: 5/s}", InputFormat.YAML))
        .isEmpty();
  }

  /** README's reload table names every key that applies only after a restart, and no other. */
  @Test
  void theReadmeListsTheRestartKeys() throws IOException {
    TreeSet<String> restart = new TreeSet<>();
    restartKeys(JunctionConfig.class, "", restart);
    String row = Files.readAllLines(Path.of("README.md")).stream().filter(l -> l.contains("| need a restart"))
        .findFirst().orElseThrow();
    TreeSet<String> listed = new TreeSet<>();
    Matcher m = Pattern.compile("`([^`]+)`").matcher(row.split("\\| need")[0]);
    while (m.find()) {
      listed.add(m.group(1));
    }
    assertThat(listed).containsExactlyElementsOf(restart);
  }

  private static void restartKeys(Class<?> type, String path, TreeSet<String> out) {
    for (RecordComponent rc : type.getRecordComponents()) {
      Key key = rc.getAnnotation(Key.class);
      String name = key == null ? "" : key.name().isEmpty() && !key.inline() ? rc.getName() : key.name();
      if (key != null && key.restart()) {
        // the README names listen.host and listen.port together
        out.add(join(path, name).startsWith("listen.") ? "listen" : join(path, name));
      } else if (key != null && rc.getType().isRecord() && !rc.getType().isAnnotationPresent(Key.Form.class)) {
        restartKeys(rc.getType(), join(path, name), out);
      }
    }
  }

  private static Schema schema() {
    try {
      return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
          .getSchema(Files.readString(FILE), InputFormat.JSON);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The key paths the records declare, read from their {@link Key}s without the code that writes the schema. */
  private static void keys(Class<?> type, String path, TreeSet<String> out) {
    Key.Moved moved = type.getAnnotation(Key.Moved.class);
    if (moved != null) {
      out.add(join(path, moved.key()) + "!moved");
    }
    for (RecordComponent rc : type.getRecordComponents()) {
      Key key = rc.getAnnotation(Key.class);
      if (key == null) {
        continue;
      }
      String name = key.name().isEmpty() && !key.inline() ? rc.getName() : key.name();
      if (key.inline()) {
        keys(rc.getType(), join(path, name), out);
      } else {
        leaf(rc.getGenericType(), join(path, name), out);
      }
    }
  }

  private static void leaf(Type type, String path, TreeSet<String> out) {
    Class<?> raw = type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) type;
    Type[] args = type instanceof ParameterizedType p ? p.getActualTypeArguments() : new Type[0];
    if (raw == List.class && args[0] instanceof Class<?> c && c.isRecord()) {
      keys(c, path + "[]", out);
    } else if (raw == Map.class && args[1] instanceof Class<?> c && c.isRecord()
        && !c.isAnnotationPresent(Key.Form.class)) {
      keys(c, path + ".*", out);
    } else if (raw.isRecord() && !raw.isAnnotationPresent(Key.Form.class)) {
      keys(raw, path, out);
    } else {
      out.add(path);
    }
  }

  /** The key paths a schema describes. */
  private static void properties(JsonNode schema, String path, TreeSet<String> out) {
    if (schema.has("properties")) {
      schema.get("properties").fields().forEachRemaining(e -> properties(e.getValue(), join(path, e.getKey()), out));
    } else if (schema.path("items").has("properties")) {
      properties(schema.get("items"), path + "[]", out);
    } else if (schema.path("additionalProperties").has("properties")) {
      properties(schema.get("additionalProperties"), path + ".*", out);
    } else {
      out.add(path);
    }
  }

  private static String join(String path, String key) {
    return path.isEmpty() ? key : key.isEmpty() ? path : path + "." + key;
  }
}
