package dev.junction.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

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
    return next(1).get(0);
  }

  /** {@code count} distinct ports that were free a moment ago (all held until each is known). */
  public static List<Integer> next(int count) {
    List<ServerSocket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < count; i++) {
        sockets.add(new ServerSocket(0));
      }
      return sockets.stream().map(ServerSocket::getLocalPort).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      for (ServerSocket s : sockets) {
        try {
          s.close();
        } catch (IOException ignored) {
          // the port is released either way
        }
      }
    }
  }
}
