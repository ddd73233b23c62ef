package dev.junction.config;

import static dev.junction.config.ConfigReader.*;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.junction.routing.Prefixes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads the YAML configuration, substitutes environment variables, and validates it. Every
 * problem is collected with the path of its key and reported at once in a {@link ConfigException}.
 * Runs on the launcher thread before Vert.x starts.
 */
public final class ConfigLoader {
  /** Upstream names and aliases: used in URLs and as tool-name prefixes, so no {@code _}. */
  public static final Pattern NAME = Pattern.compile("[a-z0-9-]+");

  private static final Set<String> TOP_KEYS = Set.of("listen", "upstreams", "shards", "ingressInstances",
      "sessionIdleTimeout", "allowedOrigins", "failureMode", "listCacheTtl", "virtualServers", "pool", "admin", "secretRefreshInterval", "health", "sseKeepAlive", "auth",
      "metrics", "allowedHosts", "limits", "stdio", RateLimitSection.KEY, "cluster");
  private static final Set<String> POOL_KEY_KEYS = Set.of("maxSessions", "maxInFlightPerSession", "maxWaiters",
      "acquireTimeout", "createTimeout", "sessionTtl", "idleTimeout", "healthCheckInterval", "healthCheck",
      "maxInFlightPerTenant");
  private static final Set<String> POOL_GLOBAL_KEYS = union(POOL_KEY_KEYS,
      Set.of("identityHeaders", "anonymous", "evictionInterval"));
  private static final Set<String> VIRTUAL_KEYS = Set.of("upstreams", "tools", "failureMode");
  private static final Set<String> FILTER_KEYS = Set.of("allow", "deny");
  private static final Set<String> LISTEN_KEYS = Set.of("host", "port");
  private static final Set<String> UPSTREAM_KEYS = Set.of("transport", "command", "env", "inheritEnv", "cwd", "url",
      "headers", "headerFiles", "alias", "requestTimeout", "connectTimeout", "listTimeout", "sharing", "pool",
      "health", "failover", "toolTimeouts", "maxProcesses", "startConcurrency", "stderrLines", "auth",
      "maxEventSize", "maxResponseSize", RateLimitSection.KEY, RateLimitSection.TOOLS_KEY);

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
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new ConfigException(List.of(file + ": cannot read (" + e.getClass().getSimpleName() + ")"));
    }
    return parse(text);
  }

  /** Parses YAML text. */
  @SuppressWarnings("unchecked")
  public JunctionConfig parse(String yaml) {
    Object tree;
    try {
      tree = yaml.isBlank() ? null : new ObjectMapper(new YAMLFactory()).readValue(yaml, Object.class);
    } catch (IOException e) {
      String where = e instanceof com.fasterxml.jackson.core.JsonProcessingException jpe && jpe.getLocation() != null
          ? " at line " + jpe.getLocation().getLineNr() : "";
      throw new ConfigException(List.of("(file): not valid YAML" + where));
    }
    if (tree == null) {
      tree = new LinkedHashMap<String, Object>();
    }
    List<String> errors = new ArrayList<>();
    if (!(tree instanceof Map)) {
      throw new ConfigException(List.of("(root): must be a mapping"));
    }
    Map<String, Object> root = (Map<String, Object>) tree;
    env.applyTree(root, "", errors);
    JunctionConfig config = new JunctionConfig();
    unknownKeys(root, TOP_KEYS, "", errors);

    Map<String, Object> listen = map(root.get("listen"), "listen", errors);
    unknownKeys(listen, LISTEN_KEYS, "listen", errors);
    if (listen.containsKey("host")) {
      String host = string(listen.get("host"), "listen.host", errors);
      if (host != null) {
        config.setHost(host);
      }
    }
    if (listen.containsKey("port")) {
      Integer port = integer(listen.get("port"), "listen.port", errors);
      if (port != null && (port < 0 || port > 65535)) {
        errors.add("listen.port: must be 0..65535, got " + port);
      } else if (port != null) {
        config.setPort(port);
      }
    }
    count(root, "shards", "", 1, errors, config::setShards);
    count(root, "ingressInstances", "", 1, errors, config::setIngressInstances);
    duration(root, "sessionIdleTimeout", "", errors, config::setSessionIdleTimeoutMs);
    if (root.containsKey("allowedOrigins")) {
      config.setAllowedOrigins(strings(root.get("allowedOrigins"), "allowedOrigins", errors));
    }
    if (root.containsKey("allowedHosts")) {
      config.setAllowedHosts(strings(root.get("allowedHosts"), "allowedHosts", errors));
    }
    config.setLimits(LimitsOptions.read(map(root.get("limits"), "limits", errors), "limits", errors));

    if (root.containsKey("failureMode")) {
      FailureMode mode = failureMode(root.get("failureMode"), "failureMode", errors);
      if (mode != null) {
        config.setFailureMode(mode);
      }
    }
    durationOrZero(root, "listCacheTtl", "", "(0 turns the cache off)", errors, config::setListCacheTtlMs);
    duration(root, "sseKeepAlive", "", errors, config::setSseKeepAliveMs);
    Map<String, Object> metrics = map(root.get("metrics"), "metrics", errors);
    unknownKeys(metrics, Set.of("vertx"), "metrics", errors);
    flag(metrics, "vertx", "metrics", errors, config::setVertxMeters);
    config.setCluster(ClusterOptions.read(map(root.get("cluster"), "cluster", errors), "cluster", errors));
    Map<String, Object> health = map(root.get("health"), "health", errors);
    unknownKeys(health, HealthOptions.GLOBAL_KEYS, "health", errors);
    config.setHealth(HealthOptions.read(health, "health", new HealthOptions(), errors));
    flag(health, "readyNeedsHealthyUpstream", "health", errors, config::setReadyNeedsHealthyUpstream);
    Map<String, Object> pool = map(root.get("pool"), "pool", errors);
    if (pool.containsKey("circuit")) {
      errors.add("pool.circuit: moved to health (failureThreshold, reconnect.initialDelay)");
      pool.remove("circuit");
    }
    unknownKeys(pool, POOL_GLOBAL_KEYS, "pool", errors);
    config.setPool(poolOptions(pool, "pool", new SessionPoolOptions(), errors));
    if (pool.containsKey("identityHeaders")) {
      List<String> names = strings(pool.get("identityHeaders"), "pool.identityHeaders", errors);
      if (names.isEmpty()) {
        errors.add("pool.identityHeaders: must name at least one header");
      }
      config.setIdentityHeaders(names);
    }
    if (pool.containsKey("anonymous")) {
      String mode = string(pool.get("anonymous"), "pool.anonymous", errors);
      if (!"shared".equals(mode) && !"reject".equals(mode)) {
        errors.add("pool.anonymous: must be shared or reject; got '" + mode + "'");
      }
      config.setAnonymousShared(!"reject".equals(mode));
    }
    duration(pool, "evictionInterval", "pool", errors, config::setEvictionIntervalMs);
    duration(root, "secretRefreshInterval", "", errors, config::setSecretRefreshIntervalMs);
    RateLimitSection.global(root, config, errors);
    Map<String, Object> admin = map(root.get("admin"), "admin", errors);
    unknownKeys(admin, Set.of("token"), "admin", errors);
    if (admin.get("token") != null) {
      config.setAdminToken(string(admin.get("token"), "admin.token", errors));
    }

    Map<String, Object> stdio = map(root.get("stdio"), "stdio", errors);
    unknownKeys(stdio, Set.of("workRoot"), "stdio", errors);
    if (stdio.containsKey("workRoot")) {
      String dir = string(stdio.get("workRoot"), "stdio.workRoot", errors);
      if (dir != null && !absolute(dir)) {
        errors.add("stdio.workRoot: must be an absolute directory path");
      } else if (dir != null) {
        config.setStdioWorkRoot(dir);
      }
    }

    Map<String, Object> ups = map(root.get("upstreams"), "upstreams", errors);
    config.setAuth(AuthSection.read(root.get("auth"), ups.keySet(), errors));
    Map<String, String> aliases = new LinkedHashMap<>();
    for (Map.Entry<String, Object> e : ups.entrySet()) {
      UpstreamOptions u = upstream(e.getKey(), e.getValue(), config, errors);
      if (u != null) {
        config.addUpstream(u);
        aliases.put(u.name(), u.alias());
      }
    }
    Prefixes.Assignment prefixes = Prefixes.assign(aliases);
    errors.addAll(prefixes.errors());
    prefixes.prefixes().forEach((name, prefix) -> config.upstreams().get(name).setPrefix(prefix));
    UpstreamSections.checkFailover(config, ups.keySet(), errors);

    Map<String, Object> virtual = map(root.get("virtualServers"), "virtualServers", errors);
    for (Map.Entry<String, Object> e : virtual.entrySet()) {
      VirtualServerOptions v = virtualServer(e.getKey(), e.getValue(), ups.keySet(), errors);
      if (v != null) {
        config.addVirtualServer(v);
      }
    }
    if (!errors.isEmpty()) {
      throw new ConfigException(errors);
    }
    return config;
  }

  /** A named section (an upstream, a virtual server): its name is checked, then its keys. */
  private static Map<String, Object> section(String name, Object node, String path, Set<String> keys,
      List<String> errors) {
    if (!NAME.matcher(name).matches()) {
      errors.add(path + ": the name must match [a-z0-9-]+");
    }
    Map<String, Object> m = map(node, path, errors);
    unknownKeys(m, keys, path, errors);
    return m;
  }

  private UpstreamOptions upstream(String name, Object node, JunctionConfig config, List<String> errors) {
    String path = "upstreams." + name;
    int before = errors.size();
    Map<String, Object> m = section(name, node, path, UPSTREAM_KEYS, errors);
    String t = string(m.get("transport"), path + ".transport", errors);
    UpstreamOptions.Transport transport = t == null ? null : UpstreamOptions.Transport.of(t);
    if (t != null && transport == null) {
      errors.add(path + ".transport: must be one of stdio, streamable-http, sse; got '" + t + "'");
    }
    if (transport == UpstreamOptions.Transport.SSE) {
      // The key is reserved and documented; the transport itself is not built yet.
      errors.add(path + ".transport: sse (legacy HTTP+SSE) is not available yet; use streamable-http");
      return null;
    }
    if (transport == null) {
      return null;
    }
    UpstreamOptions u = new UpstreamOptions(name, transport);
    if (transport == UpstreamOptions.Transport.STDIO) {
      List<String> command = strings(m.get("command"), path + ".command", errors);
      if (command.isEmpty() && m.get("command") != null) {
        errors.add(path + ".command: must name a program");
      }
      u.setCommand(command);
      if (m.containsKey("env")) {
        u.setEnv(stringMap(m.get("env"), path + ".env", errors));
      }
      if (m.containsKey("inheritEnv")) {
        List<String> names = strings(m.get("inheritEnv"), path + ".inheritEnv", errors);
        for (int i = 0; i < names.size(); i++) {
          if (!UpstreamOptions.ENV_NAME.matcher(names.get(i)).matches()) {
            errors.add(path + ".inheritEnv[" + i + "]: must be a variable name ([A-Za-z_][A-Za-z0-9_]*), not a value");
          }
        }
        if (errors.size() == before) {
          u.setInheritEnv(names);
        }
      }
      if (m.containsKey("cwd")) {
        u.setCwd(string(m.get("cwd"), path + ".cwd", errors));
      }
      for (String k : List.of("url", "headers", "headerFiles")) {
        if (m.containsKey(k)) {
          errors.add(path + "." + k + ": only for streamable-http and sse upstreams");
        }
      }
    } else {
      String url = string(m.get("url"), path + ".url", errors);
      if (url != null && !url.matches("(?i)https?://[^/\\s]+.*")) {
        errors.add(path + ".url: must be an http:// or https:// URL");
      }
      u.setUrl(url);
      if (m.containsKey("headers")) {
        u.setHeaders(stringMap(m.get("headers"), path + ".headers", errors));
      }
      if (m.containsKey("headerFiles")) {
        u.setHeaderFiles(stringMap(m.get("headerFiles"), path + ".headerFiles", errors));
      }
      for (String k : List.of("command", "env", "inheritEnv", "cwd")) {
        if (m.containsKey(k)) {
          errors.add(path + "." + k + ": only for stdio upstreams");
        }
      }
    }
    if (m.containsKey("alias")) {
      String alias = string(m.get("alias"), path + ".alias", errors);
      if (alias != null && !NAME.matcher(alias).matches()) {
        errors.add(path + ".alias: must match [a-z0-9-]+ ('_' separates the prefix from the name)");
      }
      u.setAlias(alias);
    }
    duration(m, "requestTimeout", path, errors, u::setRequestTimeoutMs);
    duration(m, "listTimeout", path, errors, u::setListTimeoutMs);
    if (m.containsKey("sharing")) {
      String key = string(m.get("sharing"), path + ".sharing", errors);
      Sharing sharing = key == null ? null : Sharing.of(key);
      if (key != null && sharing == null) {
        errors.add(path + ".sharing: must be one of auto, tenant, client, stateless; got '" + key + "'");
      } else if (sharing == Sharing.STATELESS && transport != UpstreamOptions.Transport.STREAMABLE_HTTP) {
        errors.add(path + ".sharing: stateless needs a streamable-http upstream that speaks 2026-07-28");
      } else if (sharing != null) {
        u.setSharing(sharing);
      }
    }
    Map<String, Object> own = map(m.get("pool"), path + ".pool", errors);
    if (own.containsKey("circuit")) {
      errors.add(path + ".pool.circuit: moved to " + path + ".health (failureThreshold, reconnect.initialDelay)");
      own.remove("circuit");
    }
    unknownKeys(own, POOL_KEY_KEYS, path + ".pool", errors);
    u.setPool(poolOptions(own, path + ".pool", config.pool(), errors));
    duration(m, "connectTimeout", path, errors, u::setConnectTimeoutMs);
    UpstreamSections.resilience(m, path, u, config.health(), errors);
    UpstreamSections.auth(m, path, u, config.auth().oauth(), errors);
    RateLimitSection.upstream(m, path, u, errors);
    return errors.size() == before ? u : null;
  }

  private static boolean absolute(String path) {
    try {
      return !path.isBlank() && Path.of(path).isAbsolute();
    } catch (java.nio.file.InvalidPathException e) {
      return false;
    }
  }

  /** Pool limits read over a base (the global options, for per-upstream overrides). */
  private static SessionPoolOptions poolOptions(Map<String, Object> m, String path, SessionPoolOptions base,
      List<String> errors) {
    SessionPoolOptions o = new SessionPoolOptions(base);
    count(m, "maxSessions", path, 1, errors, n -> o.maxSessions = n);
    count(m, "maxInFlightPerSession", path, 0, errors, n -> o.maxInFlightPerSession = n);
    count(m, "maxWaiters", path, 0, errors, n -> o.maxWaiters = n);
    count(m, "maxInFlightPerTenant", path, 1, errors, n -> o.maxInFlightPerTenant = n);
    duration(m, "acquireTimeout", path, errors, ms -> o.acquireTimeoutMs = ms);
    duration(m, "createTimeout", path, errors, ms -> o.createTimeoutMs = ms);
    duration(m, "sessionTtl", path, errors, ms -> o.sessionTtlMs = ms);
    duration(m, "idleTimeout", path, errors, ms -> o.idleTimeoutMs = ms);
    duration(m, "healthCheckInterval", path, errors, ms -> o.healthCheckIntervalMs = ms);
    if (m.containsKey("healthCheck")) {
      List<String> chain = strings(m.get("healthCheck"), path + ".healthCheck", errors);
      for (int i = 0; i < chain.size(); i++) {
        if (!List.of("ping", "tools/list", "skip").contains(chain.get(i))) {
          errors.add(path + ".healthCheck[" + i + "]: must be ping, tools/list or skip");
        }
      }
      o.healthCheck = List.copyOf(chain);
    }
    return o;
  }

  private static VirtualServerOptions virtualServer(String name, Object node, Set<String> upstreams, List<String> errors) {
    String path = "virtualServers." + name;
    int before = errors.size();
    Map<String, Object> m = section(name, node, path, VIRTUAL_KEYS, errors);
    List<String> selected = strings(m.get("upstreams"), path + ".upstreams", errors);
    for (int i = 0; i < selected.size(); i++) {
      if (!upstreams.contains(selected.get(i))) {
        errors.add(path + ".upstreams[" + i + "]: no upstream named '" + selected.get(i) + "'");
      }
    }
    Map<String, Object> tools = map(m.get("tools"), path + ".tools", errors);
    unknownKeys(tools, FILTER_KEYS, path + ".tools", errors);
    List<String> allow = tools.containsKey("allow") ? strings(tools.get("allow"), path + ".tools.allow", errors) : List.of();
    List<String> deny = tools.containsKey("deny") ? strings(tools.get("deny"), path + ".tools.deny", errors) : List.of();
    FailureMode mode = m.containsKey("failureMode") ? failureMode(m.get("failureMode"), path + ".failureMode", errors) : null;
    return errors.size() == before ? new VirtualServerOptions(name, selected, allow, deny, mode) : null;
  }

  private static FailureMode failureMode(Object v, String path, List<String> errors) {
    String s = string(v, path, errors);
    FailureMode mode = s == null ? null : FailureMode.of(s);
    if (s != null && mode == null) {
      errors.add(path + ": must be open or closed; got '" + s + "'");
    }
    return mode;
  }

}
