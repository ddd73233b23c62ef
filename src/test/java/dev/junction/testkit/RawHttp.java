package dev.junction.testkit;

import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * HTTP/1.1 spoken by hand over a blocking socket, for requests no well-behaved client sends
 * (conflicting framing, a Host of an attacker's choosing, a head that never ends). JUnit thread only.
 */
public final class RawHttp implements AutoCloseable {
  /** What came back: the bytes read, and whether the server closed the connection. */
  public record Read(String text, boolean eof) {
    /** How many responses the text holds (status lines). */
    public int responses() {
      int n = 0;
      for (int i = text.indexOf("HTTP/1.1 "); i >= 0; i = text.indexOf("HTTP/1.1 ", i + 1)) {
        n++;
      }
      return n;
    }

    /** The status of the first response. */
    public int status() {
      return Integer.parseInt(text.substring(9, 12));
    }

    /** The body of the first response (assumed to have a Content-Length). */
    public String body() {
      int start = text.indexOf("\r\n\r\n") + 4;
      String head = text.substring(0, start).toLowerCase();
      int at = head.indexOf("content-length:");
      if (at < 0) {
        return text.substring(start);
      }
      int length = Integer.parseInt(head.substring(at + 15, head.indexOf('\r', at)).trim());
      return text.substring(start, Math.min(text.length(), start + length));
    }

    public JsonObject json() {
      return new JsonObject(body());
    }

    public String header(String name) {
      for (String line : text.substring(0, text.indexOf("\r\n\r\n")).split("\r\n")) {
        int colon = line.indexOf(':');
        if (colon > 0 && line.substring(0, colon).equalsIgnoreCase(name)) {
          return line.substring(colon + 1).trim();
        }
      }
      return null;
    }
  }

  private final Socket socket;

  public RawHttp(int port) {
    try {
      socket = new Socket("127.0.0.1", port);
      socket.setTcpNoDelay(true);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Sends one request with {@code Connection: close} added and reads until the server closes. */
  public static Read exchange(int port, String method, String path, String host, String... headers) {
    try (RawHttp http = new RawHttp(port)) {
      StringBuilder req = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\n");
      for (String h : headers) {
        req.append(h).append("\r\n");
      }
      http.write(req.append("Connection: close\r\n\r\n").toString());
      return http.readUntilClosed(10_000);
    }
  }

  /** Writes text; false when the server has closed the connection. */
  public boolean write(String text) {
    return write(text.getBytes(StandardCharsets.ISO_8859_1));
  }

  public boolean write(byte[] bytes) {
    try {
      socket.getOutputStream().write(bytes);
      socket.getOutputStream().flush();
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** Reads until the server closes the connection or nothing arrives for {@code quietMs}. */
  public Read readUntilClosed(int quietMs) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      socket.setSoTimeout(quietMs);
      InputStream in = socket.getInputStream();
      byte[] buf = new byte[8192];
      while (true) {
        int n = in.read(buf);
        if (n < 0) {
          return new Read(out.toString(StandardCharsets.ISO_8859_1), true);
        }
        out.write(buf, 0, n);
      }
    } catch (SocketTimeoutException e) {
      return new Read(out.toString(StandardCharsets.ISO_8859_1), false);
    } catch (IOException e) {
      // a reset is a close too
      return new Read(out.toString(StandardCharsets.ISO_8859_1), true);
    }
  }

  /** Reads one response head (up to the blank line), waiting at most {@code timeoutMs}. */
  public String readHead(int timeoutMs) {
    StringBuilder head = new StringBuilder();
    try {
      socket.setSoTimeout(timeoutMs);
      InputStream in = socket.getInputStream();
      while (!head.toString().endsWith("\r\n\r\n")) {
        int c = in.read();
        if (c < 0) {
          break;
        }
        head.append((char) c);
      }
      return head.toString();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Waits up to {@code ms} for a byte: -1 when the server closed the connection, 0 when nothing
   * came (still open), 1 when something arrived.
   */
  public int poll(int ms) {
    try {
      socket.setSoTimeout(ms);
      return socket.getInputStream().read() < 0 ? -1 : 1;
    } catch (SocketTimeoutException e) {
      return 0;
    } catch (IOException e) {
      return -1;
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException e) {
      // closing anyway
    }
  }
}
