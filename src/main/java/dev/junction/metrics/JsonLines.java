package dev.junction.metrics;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.encoder.EncoderBase;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Map;
import org.slf4j.event.KeyValuePair;

/**
 * One JSON object per log line: {@code ts}, {@code level}, {@code logger}, {@code thread},
 * {@code message}, then the event's key-value pairs (the access log's fields, {@code trace_id},
 * {@code span_id}) and MDC entries as fields of their own, and {@code error} with the stack trace
 * when there is one. Selected by {@code JUNCTION_LOG_FORMAT=json} (see {@link LogFormat}).
 */
public final class JsonLines extends EncoderBase<ILoggingEvent> {
  private static final JsonFactory JSON = new JsonFactory();
  private static final byte[] NOTHING = new byte[0];

  @Override
  public byte[] headerBytes() {
    return NOTHING;
  }

  @Override
  public byte[] footerBytes() {
    return NOTHING;
  }

  @Override
  public byte[] encode(ILoggingEvent event) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("ts", Instant.ofEpochMilli(event.getTimeStamp()).toString());
      g.writeStringField("level", event.getLevel().toString());
      g.writeStringField("logger", event.getLoggerName());
      g.writeStringField("thread", event.getThreadName());
      g.writeStringField("message", event.getFormattedMessage());
      if (event.getKeyValuePairs() != null) {
        for (KeyValuePair kv : event.getKeyValuePairs()) {
          field(g, kv.key, kv.value);
        }
      }
      Map<String, String> mdc = event.getMDCPropertyMap();
      if (mdc != null) {
        for (Map.Entry<String, String> e : mdc.entrySet()) {
          g.writeStringField(e.getKey(), e.getValue());
        }
      }
      if (event.getThrowableProxy() != null) {
        g.writeStringField("error", ThrowableProxyUtil.asString(event.getThrowableProxy()));
      }
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    out.write('\n');
    return out.toByteArray();
  }

  private static void field(JsonGenerator g, String key, Object value) throws IOException {
    if (value == null) {
      g.writeNullField(key);
    } else if (value instanceof Integer || value instanceof Long) {
      g.writeNumberField(key, ((Number) value).longValue());
    } else if (value instanceof Boolean b) {
      g.writeBooleanField(key, b);
    } else {
      g.writeStringField(key, value.toString());
    }
  }
}
