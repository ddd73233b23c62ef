package dev.junction.config;

import dev.junction.binding.Binder;
import dev.junction.binding.EnvSubstitution;
import dev.junction.binding.Records;
import dev.junction.binding.Schema;
import dev.junction.routing.Prefixes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Reads the YAML configuration, substitutes environment variables in its values, and binds it onto
 * {@link JunctionConfig}. Every problem is collected with the path of its key and reported at once
 * in a {@link ConfigException}. Runs on the launcher thread before Vert.x starts.
 */
public final class ConfigLoader {
  /** Upstream and virtual server names and aliases: used in URLs and as tool-name prefixes, so no {@code _}. */
  static final String NAMES = "[a-z0-9-]+";
  /** An http:// or https:// URL. */
  static final String URL = "[Hh][Tt][Tt][Pp][Ss]?://[^/\\s]+.*";

  private final EnvSubstitution env;

  /** A loader that reads the process environment. */
  public ConfigLoader() {
    this(System::getenv);
  }

  /** A loader with its own environment (tests). */
  public ConfigLoader(Function<String, String> env) {
    this.env = new EnvSubstitution(env);
  }

  /** Loads a file. */
  public JunctionConfig load(Path file) {
    try {
      return parse(Files.readString(file));
    } catch (IOException e) {
      throw new ConfigException(List.of(file + ": cannot read (" + e.getClass().getSimpleName() + ")"));
    }
  }

  /** Parses YAML text. */
  public JunctionConfig parse(String yaml) {
    List<String> errors = new ArrayList<>();
    JunctionConfig config = Binder.bind(JunctionConfig.class, yaml, env, errors);
    if (config == null) {
      throw new ConfigException(errors);
    }
    Map<String, String> aliases = new LinkedHashMap<>();
    config.upstreams().forEach((name, u) -> aliases.put(name, u.alias()));
    Prefixes.Assignment prefixes = Prefixes.assign(aliases);
    errors.addAll(prefixes.errors());
    if (!errors.isEmpty()) {
      throw new ConfigException(errors);
    }
    Map<String, UpstreamOptions> upstreams = new LinkedHashMap<>();
    prefixes.prefixes().forEach((name, prefix) ->
        upstreams.put(name, Records.with(config.upstreams().get(name), "prefix", prefix)));
    return Records.with(config, "upstreams", Collections.unmodifiableMap(upstreams));
  }

  /** The JSON Schema of the config file ({@code conf/junction.schema.json}, kept in step by a test). */
  public static String schema() {
    return Schema.text(JunctionConfig.class, "Junction configuration",
        "The YAML file the gateway reads (conf/junction.yaml); see README.md, Configuration.");
  }
}
