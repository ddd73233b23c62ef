package dev.junction.upstream.stdio;

import dev.junction.config.UpstreamOptions;
import dev.junction.error.Outcome;
import dev.junction.jsonrpc.JsonBytes;
import dev.junction.upstream.UpstreamTransport;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An MCP server run as a child process, speaking newline-delimited JSON-RPC on stdin/stdout
 * (basic/transports, "stdio").
 *
 * <p>Threads: every field is owned by the creating context. Pipes block, so they never touch an
 * event loop: one dedicated reader thread per stream hands lines back with
 * {@link Context#runOnContext}, and writes run in order on a one-thread worker executor.
 */
public final class StdioTransport implements UpstreamTransport {
  private static final Logger LOG = LoggerFactory.getLogger(StdioTransport.class);
  /** A line longer than this is dropped: a runaway upstream must not exhaust the heap. */
  static final int MAX_LINE_BYTES = 16 * 1024 * 1024;
  /** How long a process has to exit after its stdin closes and SIGTERM, before SIGKILL. */
  private static final long KILL_GRACE_MS = 2_000;

  private final Vertx vertx;
  private final UpstreamOptions options;
  private final Path workRoot;
  private final Logger upstreamLog;
  private final StderrRing stderr;
  private final Runnable exited;

  // Owned by the creating context.
  private final Context context;
  /** Event-loop contexts run on one thread; handlers may run on duplicates of the context. */
  private final Thread owner = Thread.currentThread();
  private Process process;
  private OutputStream stdin;
  private WorkerExecutor writer;
  private Listener listener;
  private boolean closed;
  /** Completes once the process has exited and its own working directory (if it had one) is gone. */
  private CompletableFuture<Void> gone = CompletableFuture.completedFuture(null);

  /**
   * @param workRoot where each process without a configured {@code cwd} gets a fresh working
   *     directory
   * @param stderr where the process's stderr lines are kept (each is logged at info too, under
   *     junction.upstream.<name>)
   * @param exited run once, on the creating context, when the process has exited or could not start
   */
  public StdioTransport(Vertx vertx, UpstreamOptions options, Path workRoot, StderrRing stderr, Runnable exited) {
    this.vertx = vertx;
    this.options = options;
    this.workRoot = workRoot;
    this.stderr = stderr;
    this.exited = exited;
    this.context = vertx.getOrCreateContext();
    this.upstreamLog = LoggerFactory.getLogger("junction.upstream." + options.name());
  }

  @Override
  public Future<Void> start(Listener listener) {
    assert Thread.currentThread() == owner : "not on the owner thread";
    this.listener = listener;
    // fork/exec and the work directory block for a while: off the event loop.
    return vertx.<Started>executeBlocking(() -> {
      ProcessBuilder pb = new ProcessBuilder(options.command());
      // a clean environment: the gateway's own holds secrets (ChildEnvironment)
      pb.environment().clear();
      pb.environment().putAll(ChildEnvironment.of(System.getenv(), options.inheritEnv(), options.env()));
      Path dir = options.cwd() != null ? null : ChildEnvironment.workDir(workRoot, options.name());
      pb.directory(dir != null ? dir.toFile() : new File(options.cwd()));
      try {
        return new Started(pb.start(), dir == null ? null : dir.toString());
      } catch (IOException | RuntimeException e) {
        if (dir != null) {
          ChildEnvironment.deleteTree(dir);
        }
        throw e;
      }
    }, false).onFailure(err -> exited.run()).map(started -> {
      Process p = started.process();
      gone = removeAfterExit(p, started.workDir());
      if (closed) {
        p.onExit().thenAccept(x -> context.runOnContext(v -> exited.run()));
        destroy(p);
        throw new IllegalStateException("closed while starting");
      }
      process = p;
      stdin = p.getOutputStream();
      writer = vertx.createSharedWorkerExecutor("junction-stdio-" + options.name() + "-" + p.pid(), 1);
      reader("out", p.getInputStream(), this::onLine);
      long pid = p.pid();
      reader("err", p.getErrorStream(), line -> {
        stderr.add(pid, line);
        upstreamLog.info("stderr: {}", line);
      });
      p.onExit().thenAccept(gone -> context.runOnContext(v -> onExit(gone.exitValue())));
      LOG.debug("upstream {}: started process {}", options.name(), p.pid());
      return null;
    });
  }

  private void reader(String stream, InputStream in, Consumer<String> onLine) {
    Thread t = new Thread(() -> readLines(in, line -> context.runOnContext(v -> onLine.accept(line))),
        "junction-stdio-" + options.name() + "-" + stream + "-" + process.pid());
    t.setDaemon(true);
    t.start();
  }

  /** Runs on the reader thread: blocking reads, lines handed on as they complete. */
  private void readLines(InputStream in, Consumer<String> sink) {
    byte[] buf = new byte[8192];
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    boolean overflow = false;
    try (in) {
      int n;
      while ((n = in.read(buf)) > 0) {
        int start = 0;
        for (int i = 0; i < n; i++) {
          if (buf[i] == '\n') {
            if (!overflow) {
              line.write(buf, start, i - start);
              sink.accept(line.toString(StandardCharsets.UTF_8));
            }
            line.reset();
            overflow = false;
            start = i + 1;
          }
        }
        if (!overflow) {
          line.write(buf, start, n - start);
          if (line.size() > MAX_LINE_BYTES) {
            LOG.warn("upstream {}: dropped a line over {} bytes", options.name(), MAX_LINE_BYTES);
            line.reset();
            overflow = true;
          }
        }
      }
    } catch (IOException e) {
      // the process went away; onExit reports it
    }
  }

  private void onLine(String line) {
    if (closed || line.isBlank()) {
      return;
    }
    JsonObject message;
    try {
      message = new JsonObject(line);
    } catch (DecodeException | ClassCastException e) {
      // Servers sometimes print banners on stdout; they are not protocol messages.
      upstreamLog.warn("stdout line is not a JSON-RPC message ({} chars), ignored", line.length());
      return;
    }
    listener.onMessage(message, null);
  }

  private void onExit(int code) {
    exited.run();
    if (writer != null) {
      writer.close();
    }
    if (!closed) {
      closed = true;
      LOG.warn("upstream {}: process exited with code {}", options.name(), code);
      listener.onClosed(Outcome.DISCONNECTED, "process exited with code " + code);
    }
  }

  @Override
  public Future<Void> send(JsonObject message) {
    assert Thread.currentThread() == owner : "not on the owner thread";
    if (closed || process == null) {
      return Future.failedFuture("upstream " + options.name() + " is not running");
    }
    byte[] bytes = JsonBytes.encode(message).appendByte((byte) '\n').getBytes();
    OutputStream out = stdin;
    // ordered: messages reach the process in the order they were sent
    return writer.executeBlocking(() -> {
      out.write(bytes);
      out.flush();
      return null;
    }, true);
  }

  /**
   * stdio carries 2026-07-28 as it is: no session id and no headers to switch, the client data travels
   * in each request's {@code _meta} (basic/transports, "stdio").
   */
  @Override
  public boolean stateless(boolean on) {
    return true;
  }

  @Override
  public Future<Void> close() {
    assert Thread.currentThread() == owner : "not on the owner thread";
    if (closed && process == null) {
      return Future.succeededFuture();
    }
    closed = true;
    Process p = process;
    if (p == null) {
      return Future.succeededFuture();
    }
    Promise<Void> done = Promise.promise();
    // Closing stdin is the polite stop (basic/transports, "stdio"); then SIGTERM, then SIGKILL.
    vertx.executeBlocking(() -> {
      try {
        p.getOutputStream().close();
      } catch (IOException ignored) {
        // already gone
      }
      return null;
    }, false).onComplete(ar -> {
      p.descendants().forEach(ProcessHandle::destroy);
      p.destroy();
      long timer = vertx.setTimer(KILL_GRACE_MS, t -> destroy(p));
      p.onExit().thenAccept(x -> context.runOnContext(v -> {
        vertx.cancelTimer(timer);
        // closed means gone: the directory too, before a shutdown goes on
        gone.whenComplete((ok, err) -> context.runOnContext(w -> done.tryComplete()));
      }));
    });
    return done.future();
  }

  /**
   * Removes the process's working directory once it has exited. It hangs on the process, not on
   * this context, so a process that outlives a shutdown still takes its directory with it.
   */
  private CompletableFuture<Void> removeAfterExit(Process p, String dir) {
    return dir == null ? p.onExit().thenApply(x -> null) : p.onExit().thenCompose(x -> remove(dir));
  }

  /** Runs on the JDK's process reaper thread: Vert.x's file system does the work off every event loop. */
  private CompletionStage<Void> remove(String dir) {
    try {
      return vertx.fileSystem().deleteRecursive(dir).recover(err -> {
        LOG.warn("upstream {}: cannot remove the work directory {} ({})", options.name(), dir, err.getMessage());
        return Future.succeededFuture();
      }).toCompletionStage();
    } catch (RejectedExecutionException closed) {
      // Vert.x has closed and its workers are gone: a thread of its own
      return CompletableFuture.runAsync(() -> removeNow(dir),
          job -> new Thread(job, "junction-stdio-" + options.name() + "-cleanup").start());
    }
  }

  /** Runs on a thread of its own, never on an event loop. */
  private void removeNow(String dir) {
    try {
      ChildEnvironment.deleteTree(Path.of(dir));
    } catch (IOException e) {
      LOG.warn("upstream {}: cannot remove the work directory {} ({})", options.name(), dir, e.getMessage());
    }
  }

  private record Started(Process process, String workDir) {
  }

  private static void destroy(Process p) {
    p.descendants().forEach(ProcessHandle::destroyForcibly);
    p.destroyForcibly();
  }

  /** The process id, or -1 before start (admin and tests). */
  public long pid() {
    return process == null ? -1 : process.pid();
  }
}
