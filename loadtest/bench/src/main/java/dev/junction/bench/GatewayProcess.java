package dev.junction.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The gateway as users run it, {@code java -jar target/junction.jar}, in its own JVM, so that its
 * CPU time and heap can be read apart from the load generator's.
 */
final class GatewayProcess implements AutoCloseable {
  /** The cores (a taskset list such as {@code 1} or {@code 4-7}) new processes run on; null for any. */
  static String cpus;

  private final Process process;
  private final int port;

  private GatewayProcess(Process process, int port) {
    this.process = process;
    this.port = port;
  }

  /** Starts the jar with a config (JSON, a subset of YAML) made for the free port it is given. */
  static GatewayProcess start(java.util.function.IntFunction<String> configForPort, String... jvmFlags) throws Exception {
    return start(freePort(), configForPort, jvmFlags);
  }

  /** Starts the jar on a given port, e.g. one a load generator chose before it started this. */
  static GatewayProcess start(int port, java.util.function.IntFunction<String> configForPort, String... jvmFlags)
      throws Exception {
    // JUNCTION_BENCH_JAR: another build of the gateway, e.g. an older commit's jar to compare with
    return startJar(System.getenv().getOrDefault("JUNCTION_BENCH_JAR", "target/junction.jar"), port, configForPort,
        jvmFlags);
  }

  /** Starts a given build of the gateway (a jar) on a free port. */
  static GatewayProcess startJar(String jar, java.util.function.IntFunction<String> configForPort, String... jvmFlags)
      throws Exception {
    return startJar(jar, freePort(), configForPort, jvmFlags);
  }

  private static GatewayProcess startJar(String jar, int port, java.util.function.IntFunction<String> configForPort,
      String... jvmFlags) throws Exception {
    Path config = Files.createTempFile("junction-bench", ".yaml");
    Files.writeString(config, configForPort.apply(port));
    config.toFile().deleteOnExit();
    return launch(port, List.of("-jar", jar, "--config", config.toString()), jvmFlags);
  }

  /** Starts {@link BareProxy} in front of {@code upstreamUrl}, with the gateway's JVM flags and cores. */
  static GatewayProcess startBare(String upstreamUrl, String... jvmFlags) throws Exception {
    int port = freePort();
    return launch(port, List.of("-cp", System.getProperty("java.class.path"), BareProxy.class.getName(),
        String.valueOf(port), upstreamUrl), jvmFlags);
  }

  private static GatewayProcess launch(int port, List<String> main, String... jvmFlags) throws Exception {
    List<String> command = new java.util.ArrayList<>();
    if (cpus != null) {
      command.addAll(List.of("taskset", "-c", cpus));
    }
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of(jvmFlags));
    command.addAll(main);
    Process p = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    GatewayProcess g = new GatewayProcess(p, port);
    g.awaitReady();
    return g;
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private void awaitReady() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      try {
        if (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/readyz")).build(),
            HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // starting
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("gateway did not start");
  }

  /** The process id, e.g. for jcmd. */
  long pid() {
    return process.pid();
  }

  String url() {
    return "http://127.0.0.1:" + port + "/mcp";
  }

  /** CPU time of the process so far, in nanoseconds (Linux /proc): {user + system, system}. */
  long[] cpuNanos() throws IOException {
    String[] f = Files.readString(Path.of("/proc/" + process.pid() + "/stat")).split("\\) ")[1].split(" ");
    long user = Long.parseLong(f[11]) * 10_000_000L; // utime; USER_HZ = 100 on Linux
    long system = Long.parseLong(f[12]) * 10_000_000L; // stime
    return new long[] {user + system, system};
  }

  /** Time the gateway's JIT compilers have spent so far, in milliseconds (HotSpot's performance counters). */
  long jitMillis() throws Exception {
    String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
    String counters = run(jcmd, String.valueOf(process.pid()), "PerfCounter.print");
    var ticks = java.util.regex.Pattern.compile("java\\.ci\\.totalTime=(\\d+)").matcher(counters);
    var hz = java.util.regex.Pattern.compile("sun\\.os\\.hrt\\.frequency=(\\d+)").matcher(counters);
    if (!ticks.find() || !hz.find()) {
      throw new IllegalStateException("no JIT counters from jcmd: " + counters.lines().findFirst().orElse(""));
    }
    return Long.parseLong(ticks.group(1)) * 1000 / Long.parseLong(hz.group(1));
  }

  /** Live heap after a full GC, in bytes, read with jcmd. */
  long liveHeapBytes() throws Exception {
    String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
    run(jcmd, String.valueOf(process.pid()), "GC.run");
    String info = run(jcmd, String.valueOf(process.pid()), "GC.heap_info");
    // e.g. " PSYoungGen total 76800K, used 1536K" ... sum every "used NNNK" of the heap spaces
    long used = 0;
    var m = java.util.regex.Pattern.compile("total \\d+K, used (\\d+)K").matcher(info);
    while (m.find()) {
      used += Long.parseLong(m.group(1)) * 1024;
    }
    return used;
  }

  /** The {@code top} classes with the most live bytes (jcmd GC.class_histogram), as a Markdown code block. */
  String histogram(int top) throws Exception {
    String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
    List<String> lines = run(jcmd, String.valueOf(process.pid()), "GC.class_histogram").lines()
        .filter(l -> l.matches("\\s*num.*|\\s+\\d+:.*")).limit(top + 1L).toList();
    return "```\n" + String.join("\n", lines) + "\n```\n";
  }

  private static String run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    p.waitFor(60, TimeUnit.SECONDS);
    return out;
  }

  /** SIGKILL: the process dies at once, without draining or leaving a cluster. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(20, TimeUnit.SECONDS);
  }

  @Override
  public void close() throws Exception {
    process.destroy(); // SIGTERM: a Flight Recording, if any, is written on exit
    if (!process.waitFor(20, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
