package dev.junction.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * A loopback port where nothing listens, held for as long as this is open: a socket bound to it
 * but never listening keeps any server from taking it, and connections to it are refused at once.
 * (A port found free and released again may be taken by the next server a test starts, which then
 * accepts the connection and never answers.)
 */
public final class ClosedPort implements AutoCloseable {
  private final Socket socket = new Socket();

  public ClosedPort() {
    try {
      socket.bind(new InetSocketAddress("127.0.0.1", 0));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int port() {
    return socket.getLocalPort();
  }

  /** An MCP endpoint URL on the port. */
  public String url() {
    return "http://127.0.0.1:" + port() + "/mcp";
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
