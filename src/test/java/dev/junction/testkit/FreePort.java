package dev.junction.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

/**
 * Loopback ports for a child process's config, which it binds itself: free when asked for, then
 * released. Another server could take one before the child does, so use it only for a port the
 * child binds at once; a port that must stay unused is a {@link ClosedPort}.
 */
public final class FreePort {
  private FreePort() {
  }

  /** A port that was free a moment ago. */
  public static int next() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
