package dev.junction.jsonrpc;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.util.RawValue;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Reads an upstream's answer to a call whose result the gateway only relays (tools/call): every
 * member but {@code result} is parsed, {@code result} is kept as the upstream's own bytes (a
 * {@link RawValue} that the JSON encoder writes verbatim). A large result is then neither built
 * into a tree nor encoded again, and fields of newer revisions survive untouched. Whoever must
 * look inside such a result reads it with {@link #result}. Pure.
 */
public final class Envelope {
  private Envelope() {
  }

  /**
   * The message with {@code result} kept raw, or null when it is not a JSON object (the caller
   * then reads it the usual way and reports what is wrong).
   */
  public static JsonObject withRawResult(Buffer bytes) {
    byte[] data = bytes.getBytes();
    try (JsonParser p = JsonBytes.FACTORY.createParser(data)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      JsonObject out = new JsonObject();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken value = p.nextToken();
        if ("result".equals(name) && value == JsonToken.START_OBJECT) {
          int start = (int) p.currentTokenLocation().getByteOffset();
          p.skipChildren();
          int end = (int) p.currentLocation().getByteOffset();
          out.put(name, new RawValue(new RawJson(Arrays.copyOfRange(data, start, end))));
        } else if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
          int start = (int) p.currentTokenLocation().getByteOffset();
          p.skipChildren();
          int end = (int) p.currentLocation().getByteOffset();
          out.put(name, JsonBytes.decode(data, start, end - start));
        } else {
          out.put(name, switch (value) {
            case VALUE_STRING -> p.getText();
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> p.getNumberValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            default -> null;
          });
        }
      }
      return p.nextToken() == null ? out : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  /** The result of a message as a JSON object, parsing it when it was kept raw; null when there is none. */
  public static JsonObject result(JsonObject message) {
    Object result = message.getValue("result");
    if (result instanceof RawValue raw) {
      return new JsonObject(Buffer.buffer(bytes(raw)));
    }
    return result instanceof JsonObject o ? o : null;
  }

  /** The UTF-8 bytes of a raw value. */
  public static byte[] bytes(RawValue raw) {
    return raw.rawValue() instanceof RawJson json ? json.bytes()
        : String.valueOf(raw.rawValue()).getBytes(StandardCharsets.UTF_8);
  }

  /** True when a JSON object (as UTF-8) has this member at its top level; nested ones do not count. */
  public static boolean hasMember(byte[] object, String name) {
    try (JsonParser p = JsonBytes.FACTORY.createParser(object)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return false;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        if (name.equals(p.currentName())) {
          return true;
        }
        p.nextToken();
        p.skipChildren();
      }
      return false;
    } catch (IOException e) {
      return false;
    }
  }

  /** True when the message's result is kept as the upstream's bytes. */
  public static boolean rawResult(JsonObject message) {
    return message.getValue("result") instanceof RawValue;
  }
}
