package dev.junction.testkit;

import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A fuzz input read as a small HTTP request, so that seeds stay readable and the fuzzer mutates
 * headers and body alike: an optional request line ({@code POST /mcp}), header lines
 * ({@code Name: value}), a blank line, then the body. Lines end in LF; a line without a colon is
 * dropped, as are header names and values that an HTTP/1.1 parser would refuse (so what reaches
 * the gateway is what a real client could send).
 */
public record FuzzInput(String method, String path, MultiMap headers, Buffer body) {
  /** Reads any bytes; never fails. */
  public static FuzzInput parse(byte[] input) {
    int end = indexOf(input, new byte[] {'\n', '\n'});
    byte[] head = end < 0 ? input : Arrays.copyOfRange(input, 0, end);
    Buffer body = end < 0 ? Buffer.buffer() : Buffer.buffer(Arrays.copyOfRange(input, end + 2, input.length));
    String method = "POST";
    String path = "/mcp";
    MultiMap headers = MultiMap.caseInsensitiveMultiMap();
    String[] lines = new String(head, StandardCharsets.ISO_8859_1).split("\n", -1);
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      if (i == 0 && line.indexOf(' ') > 0 && line.indexOf(':') < 0) {
        method = line.substring(0, line.indexOf(' ')).toUpperCase();
        path = line.substring(line.indexOf(' ') + 1);
        continue;
      }
      int colon = line.indexOf(':');
      if (colon <= 0) {
        continue;
      }
      String name = line.substring(0, colon);
      String value = line.substring(colon + 1).strip();
      if (isToken(name) && isFieldValue(value)) {
        headers.add(name, value);
      }
    }
    return new FuzzInput(method, path, headers, body);
  }

  private static int indexOf(byte[] data, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= data.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (data[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** RFC 9110 5.1: a header name is a token. */
  static boolean isToken(String s) {
    if (s.isEmpty()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      boolean ok = c > 32 && c < 127 && "\"(),/:;<=>?@[\\]{}".indexOf(c) < 0;
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** RFC 9110 5.5: visible characters, spaces and tabs (obs-text included); no CR, LF or NUL. */
  static boolean isFieldValue(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 32 && c != '\t' || c == 127) {
        return false;
      }
    }
    return true;
  }

  /** Whether the bytes are valid UTF-8. */
  public static boolean utf8(byte[] input) {
    try {
      StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(input));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }
}
