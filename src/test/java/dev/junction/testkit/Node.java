package dev.junction.testkit;

import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the Node side of the interop tests (src/test/node, installed by {@code npm ci}): the
 * official TypeScript SDK clients and the reference servers.
 */
public final class Node {
  /** The folder with package.json and node_modules. */
  public static final Path DIR = Path.of("src", "test", "node").toAbsolutePath();

  private Node() {
  }

  /** Fails with instructions when the packages are not installed. */
  public static void requireInstalled() {
    if (!Files.isDirectory(DIR.resolve("node_modules/@modelcontextprotocol/sdk"))) {
      throw new IllegalStateException("run `npm ci` in " + DIR + " first (.ci/run does)");
    }
  }

  /** The stdio command of server-everything. */
  public static List<String> everythingStdio() {
    return List.of("node", DIR.resolve("node_modules/@modelcontextprotocol/server-everything/dist/index.js").toString(), "stdio");
  }

  /** Runs a script to completion and returns the JSON line it printed; fails on a non-zero exit. */
  public static JsonObject run(String script, String... args) {
    return run(Map.of(), script, args);
  }

  /** {@link #run(String, String...)} with these variables added to the script's environment. */
  public static JsonObject run(Map<String, String> env, String script, String... args) {
    List<String> command = new ArrayList<>(List.of("node", script));
    command.addAll(List.of(args));
    try {
      ProcessBuilder pb = new ProcessBuilder(command).directory(DIR.toFile());
      pb.environment().putAll(env);
      Process p = pb.start();
      CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
      String out = readAll(p.getInputStream());
      if (!p.waitFor(90, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError(script + " did not finish");
      }
      if (p.exitValue() != 0) {
        throw new AssertionError(script + " exited " + p.exitValue() + ":\n" + err.join());
      }
      String last = out.lines().filter(l -> l.startsWith("{")).reduce((a, b) -> b).orElseThrow(
          () -> new AssertionError(script + " printed no JSON:\n" + out + "\n" + err.join()));
      return new JsonObject(last);
    } catch (IOException e) {
      throw new AssertionError("cannot run node", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static String readAll(java.io.InputStream in) {
    try {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  /** A Node MCP server on a free loopback port, started from a script in {@link #DIR}. */
  public static final class HttpServer implements AutoCloseable {
    private final Process process;
    private final int port;
    private final String path;

    private HttpServer(Process process, int port, String path) {
      this.process = process;
      this.port = port;
      this.path = path;
    }

    /** server-everything over Streamable HTTP (session-based). */
    public static HttpServer everything() {
      return start("everything-http.mjs", "JUNCTION_EVERYTHING_PORT=", "/mcp", Map.of());
    }

    /** server-everything over the legacy HTTP+SSE transport (2024-11-05); {@link #url()} is its GET /sse. */
    public static HttpServer everythingSse() {
      return start("everything-http.mjs", "JUNCTION_EVERYTHING_PORT=", "/sse", Map.of("EVERYTHING_TRANSPORT", "sse"));
    }

    /** A 2026-07-28-only server on the TypeScript SDK v2. */
    public static HttpServer stateless() {
      return start("stateless-server.mjs", "JUNCTION_STATELESS_PORT=", "/mcp", Map.of());
    }

    /** A 2026-07-28-only server on the TypeScript SDK v2 whose tools answer input-required. */
    public static HttpServer mrtr() {
      return start("mrtr-server.mjs", "JUNCTION_MRTR_PORT=", "/mcp", Map.of());
    }

    /** The conformance suite's fixtures on the TypeScript SDK v1: session-based, 2025-11-25. */
    public static HttpServer conformanceLegacy() {
      return start("conformance-legacy-server.mjs", "JUNCTION_CONFORMANCE_LEGACY_PORT=", "/mcp", Map.of());
    }

    /** The conformance suite's fixtures on the TypeScript SDK v2: 2026-07-28 only. */
    public static HttpServer conformanceModern() {
      return start("conformance-modern-server.mjs", "JUNCTION_CONFORMANCE_MODERN_PORT=", "/mcp", Map.of());
    }

    private static HttpServer start(String script, String marker, String path, Map<String, String> env) {
      try {
        ProcessBuilder pb = new ProcessBuilder("node", script).directory(DIR.toFile())
            .redirectError(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("PORT", "0");
        pb.environment().putAll(env);
        Process p = pb.start();
        BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<Integer> port = CompletableFuture.supplyAsync(() -> {
          try {
            String line;
            while ((line = out.readLine()) != null) {
              if (line.startsWith(marker)) {
                int found = Integer.parseInt(line.substring(marker.length()).trim());
                // keep draining: servers may log every request to stdout
                Thread drain = new Thread(() -> out.lines().forEach(l -> { }), "node-server-drain");
                drain.setDaemon(true);
                drain.start();
                return found;
              }
            }
            throw new IllegalStateException(script + " exited before listening");
          } catch (IOException e) {
            throw new IllegalStateException(e);
          }
        });
        return new HttpServer(p, port.get(30, TimeUnit.SECONDS), path);
      } catch (Exception e) {
        throw new AssertionError("cannot start " + script, e);
      }
    }

    public String url() {
      return "http://127.0.0.1:" + port + path;
    }

    @Override
    public void close() {
      process.destroy();
      try {
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
          process.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
