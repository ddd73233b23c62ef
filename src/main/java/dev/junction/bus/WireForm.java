package dev.junction.bus;

import io.vertx.core.buffer.Buffer;

/**
 * The byte form of one Java type on the clustered event bus. Every value starts with a tag byte
 * that says how its body is laid out, so that a reader can skip a value it has no field for
 * ({@link WireReader#skip}). Forms are derived from the types by {@link WireForms}.
 */
interface WireForm<T> {
  /** A null (also an empty {@code Optional}); no body. */
  byte NULL = 0;
  /** {@code false}; no body. */
  byte FALSE = 1;
  /** {@code true}; no body. */
  byte TRUE = 2;
  /** Four bytes, big-endian. */
  byte INT = 3;
  /** Eight bytes, big-endian. */
  byte LONG = 4;
  /** An IEEE 754 double, eight bytes. */
  byte DOUBLE = 5;
  /** A length (int) and that many bytes of UTF-8; also an enum constant's name. */
  byte STRING = 6;
  /** A length (int) and that many raw bytes (a {@code Buffer}), never parsed. */
  byte BYTES = 7;
  /** A length (int) and a JSON object's UTF-8 text. */
  byte JSON_OBJECT = 8;
  /** A length (int) and a JSON array's UTF-8 text. */
  byte JSON_ARRAY = 9;
  /** A count (int) and that many values. */
  byte LIST = 10;
  /** A count (int) and that many key and value pairs. */
  byte MAP = 11;
  /** A record: a field count (unsigned byte) and the fields' values in declaration order. */
  byte SHAPE = 12;
  /** One of a sealed family: the class's simple name (as {@link #STRING}) and then its value. */
  byte VARIANT = 13;

  /** Appends {@code value} (which may be null unless the type is primitive), tag first. */
  void write(Buffer out, T value);

  /** Reads a value whose tag, already read, is {@code tag}. */
  T read(byte tag, WireReader in);

  /** The value of a field that the sender did not write (it knows an older form): null, zero, false or empty. */
  default T absent() {
    return null;
  }
}
