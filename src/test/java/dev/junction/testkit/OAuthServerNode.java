package dev.junction.testkit;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * A real OAuth 2.0 authorization server for tests: {@code src/test/node/oauth-server.mjs}, which
 * runs oidc-provider on {@code 127.0.0.1} with open dynamic client registration (RFC 7591), the
 * client_credentials grant, token introspection (RFC 7662) and resource indicators (RFC 8707).
 *
 * <p>Everything is in memory: {@link #close()} followed by {@link #start(int)} with the same port
 * gives the same issuer but forgets every registered client, token and signing key.
 *
 * <p>The server prints one JSON line per event, which a reader thread collects: {@code
 * {"event":"registration","client_id":…}}, {@code {"event":"token","client_id":…,"grant":…,
 * "resource":…}} and {@code {"event":"token_error","client_id":…,"grant":…,"error":…}}. Secrets
 * and tokens are never printed. The methods of this class may be called from any thread.
 */
public final class OAuthServerNode implements AutoCloseable {
  /** Access token lifetime when none is given, in seconds (oidc-provider's own default). */
  public static final int DEFAULT_ACCESS_TOKEN_TTL = 600;

  private static final String SCRIPT = "oauth-server.mjs";
  private static final String MARKER = "JUNCTION_OIDC_PORT=";
  private static final int STDERR_LINES = 50;

  /** The format of access tokens issued for a {@code resource}; tokens without one are opaque. */
  public enum TokenFormat {
    /** RS256 {@code at+jwt} signed with a key published at {@code jwks_uri}; not introspectable. */
    JWT,
    /** Random strings that only introspection can resolve (the audience is in its answer). */
    OPAQUE
  }

  private final Process process;
  private final int port;
  // Guarded by their own monitors: filled by the reader threads, read by tests.
  private final List<JsonObject> events;
  private final Deque<String> stderr;

  private OAuthServerNode(Process process, int port, List<JsonObject> events, Deque<String> stderr) {
    this.process = process;
    this.port = port;
    this.events = events;
    this.stderr = stderr;
  }

  /** Starts the server on {@code port} (0 = a free port) issuing JWT access tokens for resources. */
  public static OAuthServerNode start(int port) {
    return start(port, TokenFormat.JWT, DEFAULT_ACCESS_TOKEN_TTL);
  }

  /**
   * Starts the server on {@code port} (0 = a free port).
   *
   * @param format the format of access tokens requested with a {@code resource}
   * @param accessTokenTtl lifetime of every access token, in seconds
   */
  public static OAuthServerNode start(int port, TokenFormat format, int accessTokenTtl) {
    if (port < 0 || port > 65535 || accessTokenTtl <= 0) {
      throw new IllegalArgumentException("port " + port + ", ttl " + accessTokenTtl);
    }
    if (!Files.isDirectory(Node.DIR.resolve("node_modules/oidc-provider"))) {
      throw new IllegalStateException("run `npm ci` in " + Node.DIR + " first (.ci/run does)");
    }
    List<String> command = List.of("node", SCRIPT, Integer.toString(port),
        "--format", format.name().toLowerCase(Locale.ROOT), "--ttl", Integer.toString(accessTokenTtl));
    Process p;
    try {
      p = new ProcessBuilder(command).directory(Node.DIR.toFile()).start();
    } catch (IOException e) {
      throw new AssertionError("cannot run node", e);
    }
    List<JsonObject> events = new ArrayList<>();
    Deque<String> stderr = new ArrayDeque<>();
    CompletableFuture<Integer> listening = new CompletableFuture<>();
    daemon("oauth-server-stdout", () -> readStdout(p.getInputStream(), events, listening));
    daemon("oauth-server-stderr", () -> readStderr(p.getErrorStream(), stderr));
    try {
      return new OAuthServerNode(p, listening.get(30, TimeUnit.SECONDS), events, stderr);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      stop(p);
      throw new AssertionError(e);
    } catch (ExecutionException | TimeoutException e) {
      stop(p);
      throw new AssertionError(SCRIPT + " did not start on port " + port + ":\n" + tail(stderr), e);
    }
  }

  /** The port it listens on. */
  public int port() {
    return port;
  }

  /** The issuer identifier, {@code http://127.0.0.1:<port>}, which is also the base URL. */
  public String issuer() {
    return "http://127.0.0.1:" + port;
  }

  /** An absolute URL on this server, e.g. {@code url("/.well-known/openid-configuration")}. */
  public String url(String path) {
    return issuer() + path;
  }

  /** The events printed so far, oldest first. */
  public List<JsonObject> events() {
    synchronized (events) {
      return events.stream().map(JsonObject::copy).toList();
    }
  }

  /**
   * Waits for an event that matches. The server prints an event before it answers the request, but
   * the reader thread may not have read it yet when the answer arrives, so ask with this.
   */
  public JsonObject awaitEvent(Predicate<JsonObject> match, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (events) {
      while (true) {
        for (JsonObject e : events) {
          if (match.test(e)) {
            return e.copy();
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("no matching event within " + timeout + " in " + events);
        }
        TimeUnit.NANOSECONDS.timedWait(events, left);
      }
    }
  }

  /** Stops the process and waits until it is gone; the events stay readable. */
  @Override
  public void close() {
    stop(process);
  }

  private static void stop(Process p) {
    p.destroy();
    try {
      if (!p.waitFor(5, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        p.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void readStdout(InputStream in, List<JsonObject> events, CompletableFuture<Integer> listening) {
    try (BufferedReader out = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = out.readLine()) != null) {
        if (line.startsWith(MARKER)) {
          listening.complete(Integer.parseInt(line.substring(MARKER.length()).trim()));
        } else if (line.startsWith("{")) {
          try {
            JsonObject event = new JsonObject(line);
            synchronized (events) {
              events.add(event);
              events.notifyAll();
            }
          } catch (DecodeException ignored) {
            // not one of ours; oidc-provider's own notices are plain text
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      listening.completeExceptionally(e);
    }
    listening.completeExceptionally(new IllegalStateException(SCRIPT + " exited before listening"));
  }

  private static void readStderr(InputStream in, Deque<String> tail) {
    try (BufferedReader err = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = err.readLine()) != null) {
        synchronized (tail) {
          if (tail.size() == STDERR_LINES) {
            tail.removeFirst();
          }
          tail.addLast(line);
        }
      }
    } catch (IOException ignored) {
      // the process is gone
    }
  }

  private static String tail(Deque<String> stderr) {
    synchronized (stderr) {
      return String.join("\n", stderr);
    }
  }

  private static void daemon(String name, Runnable task) {
    Thread t = new Thread(task, name);
    t.setDaemon(true);
    t.start();
  }
}
