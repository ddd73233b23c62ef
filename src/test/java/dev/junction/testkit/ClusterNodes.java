package dev.junction.testkit;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Gateways in cluster mode, each a child JVM running the packaged jar (so that one can be killed
 * with SIGKILL), on loopback with distinct HTTP and Hazelcast ports, joined through static
 * members. Each node's log goes to a file, shown when a wait fails. A node can be stopped with
 * SIGKILL, SIGSTOP or SIGTERM (a drain) and started again with the same config, and its config
 * file can be rewritten (its watcher reloads it).
 */
public final class ClusterNodes implements AutoCloseable {
  private static final Path JAR = Path.of("target", "junction.jar");

  private final Path dir;
  private final List<Process> processes = new ArrayList<>();
  private final List<Path> configs = new ArrayList<>();
  private final List<Integer> ports = new ArrayList<>();
  private final List<Integer> members = new ArrayList<>();
  private String memberTimeout;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private ClusterNodes(Path dir) {
    this.dir = dir;
  }

  /**
   * Starts {@code count} nodes whose config is {@code yaml} (everything but {@code listen} and
   * {@code cluster}) and waits until every node sees all of them.
   *
   * @param memberTimeout {@code cluster.memberTimeout}, e.g. {@code 3s}
   */
  public static ClusterNodes start(int count, String yaml, String memberTimeout) {
    try {
      ClusterNodes nodes = new ClusterNodes(Files.createTempDirectory("junction-cluster"));
      nodes.members.addAll(FreePort.next(count));
      nodes.memberTimeout = memberTimeout;
      nodes.ports.addAll(FreePort.next(count));
      for (int i = 0; i < count; i++) {
        Path config = nodes.dir.resolve("node" + i + ".yaml");
        Files.writeString(config, nodes.config(i, yaml));
        nodes.configs.add(config);
        nodes.processes.add(nodes.launch(i));
      }
      for (int i = 0; i < count; i++) {
        int node = i;
        Await.until(() -> nodes.members(node) == count, 90, "node " + i + " to see " + count + " members",
            () -> nodes.logs());
      }
      return nodes;
    } catch (IOException e) {
      throw new AssertionError("cannot start the cluster", e);
    }
  }

  /** Node {@code i}'s whole config: {@code yaml} with its {@code listen} and {@code cluster} sections. */
  private String config(int i, String yaml) {
    String list = members.stream().map(p -> "127.0.0.1:" + p).collect(Collectors.joining(", "));
    return yaml + "\nlisten: {host: 127.0.0.1, port: " + ports.get(i) + "}\n"
        + "cluster:\n  enabled: true\n  host: 127.0.0.1\n  port: " + members.get(i) + "\n"
        + "  members: [" + list + "]\n  memberTimeout: " + memberTimeout + "\n";
  }

  /**
   * Replaces node {@code i}'s config file with {@code yaml} (everything but {@code listen} and
   * {@code cluster}, which stay), as an editor does: a new file renamed over the old one. The
   * node's watcher applies it; the other nodes keep theirs.
   */
  public void rewrite(int i, String yaml) {
    try {
      Path next = dir.resolve("node" + i + ".yaml.next");
      Files.writeString(next, config(i, yaml));
      Files.move(next, configs.get(i), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new AssertionError("cannot rewrite node " + i + "'s config", e);
    }
  }

  /** The sum of a Prometheus metric's samples on node {@code i}. */
  public double metric(int i, String name) {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url(i, "/metrics")))
          .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
      return r.body().lines().filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
          .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    } catch (IOException e) {
      throw new AssertionError("node " + i + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private Process launch(int i) throws IOException {
    return new ProcessBuilder(SdkStdioServer.javaExecutable(), "-Xmx256m", "-XX:+UseSerialGC",
        "-XX:TieredStopAtLevel=1", "-jar", JAR.toString(), "--config", configs.get(i).toString())
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log(i).toFile())).start();
  }

  private Path log(int node) {
    return dir.resolve("node" + node + ".log");
  }

  /** The members node {@code i} reports on {@code /readyz}, or -1 while it does not answer. */
  public int members(int i) {
    JsonObject cluster = ready(i).getJsonObject("cluster");
    return cluster == null ? -1 : cluster.getInteger("members");
  }

  /** Node {@code i}'s {@code /readyz} body, or an empty object while it does not answer. */
  public JsonObject ready(int i) {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(url(i, "/readyz")))
          .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
      return r.body().startsWith("{") ? new JsonObject(r.body()) : new JsonObject();
    } catch (IOException notYet) {
      return new JsonObject();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  public int size() {
    return processes.size();
  }

  public String url(int i, String path) {
    return "http://127.0.0.1:" + ports.get(i) + path;
  }

  /** SIGKILL: the node dies without leaving the cluster. */
  public void kill(int i) {
    processes.get(i).destroyForcibly();
    try {
      processes.get(i).waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** SIGTERM: the node drains (its {@code shutdown} config) and leaves the cluster. */
  public void terminate(int i) {
    processes.get(i).destroy();
  }

  /** Waits up to {@code seconds} for node {@code i} to exit; its exit status. */
  public int awaitExit(int i, int seconds) {
    try {
      if (!processes.get(i).waitFor(seconds, TimeUnit.SECONDS)) {
        throw new AssertionError("node " + i + " did not exit within " + seconds + " s\n" + logs());
      }
      return processes.get(i).exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /**
   * Starts node {@code i} again (after it exited) with the same config and ports, and waits until
   * every node sees all of them.
   */
  public void restart(int i) {
    if (processes.get(i).isAlive()) {
      throw new IllegalStateException("node " + i + " is still running");
    }
    try {
      processes.set(i, launch(i));
    } catch (IOException e) {
      throw new AssertionError("cannot start node " + i, e);
    }
    for (int n = 0; n < processes.size(); n++) {
      int node = n;
      Await.until(() -> members(node) == processes.size(), 90, "node " + n + " to see every member again",
          this::logs);
    }
  }

  /** The status of node {@code i}'s {@code /readyz}, or -1 while it does not answer. */
  public int readyStatus(int i) {
    try {
      return http.send(HttpRequest.newBuilder(URI.create(url(i, "/readyz"))).timeout(Duration.ofSeconds(2)).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode();
    } catch (IOException notListening) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** SIGSTOP ({@code freeze}) or SIGCONT: the node stops answering without closing a connection. */
  public void freeze(int i, boolean freeze) {
    try {
      Process kill = new ProcessBuilder("kill", freeze ? "-STOP" : "-CONT", Long.toString(processes.get(i).pid()))
          .inheritIO().start();
      if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new AssertionError("kill " + (freeze ? "-STOP" : "-CONT") + " failed");
      }
    } catch (IOException e) {
      throw new AssertionError(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** The last lines of every node's log. */
  public String logs() {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < processes.size(); i++) {
      try {
        List<String> lines = Files.readAllLines(log(i));
        out.append("--- node ").append(i).append('\n')
            .append(String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()))).append('\n');
      } catch (IOException e) {
        out.append("--- node ").append(i).append(": no log\n");
      }
    }
    return out.toString();
  }

  /** Node {@code i}'s whole log. */
  public String logOf(int i) {
    try {
      return Files.readString(log(i));
    } catch (IOException e) {
      return "";
    }
  }

  /**
   * Stops every node, then fails if any node's event loop was ever blocked (the child JVMs warn
   * after 2 s; LogWatch cannot see their logs).
   */
  public void closeExpectingNoBlockedLoop() {
    close();
    for (int i = 0; i < size(); i++) {
      if (logOf(i).contains("has been blocked")) {
        throw new AssertionError("node " + i + "'s event loop was blocked:\n" + logOf(i));
      }
    }
  }

  @Override
  public void close() {
    for (int i = 0; i < processes.size(); i++) {
      if (processes.get(i).isAlive()) {
        freeze(i, false);
      }
    }
    processes.forEach(Process::destroy);
    for (Process p : processes) {
      try {
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        p.destroyForcibly();
      }
    }
  }
}
