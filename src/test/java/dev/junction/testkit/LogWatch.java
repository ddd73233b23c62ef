package dev.junction.testkit;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;

/**
 * Captures every log line of the test JVM while a test class runs, and fails the class if Vert.x
 * reported a blocked thread or an exception that escaped a handler. Tests may also search the
 * captured text (for leaked secrets).
 */
public final class LogWatch implements BeforeAllCallback, AfterAllCallback {
  private static final Capture CAPTURE = new Capture();

  static final class Capture extends AppenderBase<ILoggingEvent> {
    private final List<String> lines = new ArrayList<>();

    @Override
    protected void append(ILoggingEvent event) {
      String line = event.getLoggerName() + " " + event.getFormattedMessage();
      for (var t = event.getThrowableProxy(); t != null; t = t.getCause()) {
        line += " " + t.getClassName() + ": " + t.getMessage();
      }
      synchronized (lines) {
        lines.add(line);
      }
    }

    List<String> snapshot() {
      synchronized (lines) {
        return List.copyOf(lines);
      }
    }

    void clear() {
      synchronized (lines) {
        lines.clear();
      }
    }
  }

  /** Every captured line so far in this class. */
  public static List<String> lines() {
    return CAPTURE.snapshot();
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    if (!CAPTURE.isStarted()) {
      CAPTURE.setContext(root.getLoggerContext());
      CAPTURE.start();
      root.addAppender(CAPTURE);
    }
    CAPTURE.clear();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    List<String> bad = CAPTURE.snapshot().stream()
        .filter(l -> l.contains("has been blocked for") || l.contains("Unhandled exception")
            || l.contains("Undeploy failed"))
        .toList();
    if (!bad.isEmpty()) {
      throw new AssertionError("Vert.x reported blocked threads or escaped exceptions:\n" + String.join("\n", bad));
    }
  }
}
