package dev.junction.error;

import io.vertx.core.json.JsonObject;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A failure that already knows how it is reported. Stack traces are not filled: it is a value. */
public final class JunctionException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = LoggerFactory.getLogger(JunctionException.class);

  private final JunctionError error;
  private final String detail;
  private final transient JsonObject data;

  public JunctionException(JunctionError error, String detail) {
    this(error, detail, null);
  }

  public JunctionException(JunctionError error, String detail, JsonObject data) {
    this(error, detail, data, null);
  }

  /** @param cause what the gateway learned the failure from (kept for callers that tell kinds apart) */
  public JunctionException(JunctionError error, String detail, JsonObject data, Throwable cause) {
    super(detail == null ? error.message() : error.message() + ": " + detail, cause, false, false);
    this.error = error;
    this.detail = detail;
    this.data = data;
  }

  /** An upstream failure naming the upstream in {@code data.upstream}. */
  public static JunctionException upstream(JunctionError error, String upstream, String detail) {
    return new JunctionException(error, detail, new JsonObject().put("upstream", upstream));
  }

  /** An upstream failure naming the upstream, caused by {@code cause}. */
  public static JunctionException upstream(JunctionError error, String upstream, String detail, Throwable cause) {
    return new JunctionException(error, detail, new JsonObject().put("upstream", upstream), cause);
  }

  public JunctionError error() {
    return error;
  }

  public JsonObject data() {
    return data;
  }

  /** The JSON-RPC error response for a request with the given id. */
  public JsonObject response(Object id) {
    return error.response(id, detail, data);
  }

  /**
   * What went wrong, in words fit for a client: the failure's message. A programming error (a null
   * dereference, a bad cast, an illegal state) or a failure without a message is never described
   * by its text, which can name classes and methods: it is logged with its stack under a fresh
   * reference, and the text says only that reference.
   */
  public static String describe(Throwable t) {
    String message = t.getMessage();
    if (message == null || message.isBlank() || t instanceof NullPointerException || t instanceof ClassCastException
        || t instanceof IndexOutOfBoundsException || t instanceof IllegalArgumentException
        || t instanceof IllegalStateException || t instanceof UnsupportedOperationException
        || t instanceof ArithmeticException || t instanceof StackOverflowError) {
      String ref = UUID.randomUUID().toString();
      LOG.error("unexpected failure (ref {})", ref, t);
      return "unexpected failure (ref " + ref + ")";
    }
    return message;
  }
}
