package dev.junction.bus;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;

/**
 * The codec of one {@link BusMessage} class. A local consumer gets the sender's immutable record
 * itself ({@link #transform}: no copy, no encoding). A message to another node of a clustered
 * event bus is written as a form version byte and the record's {@link WireForm} (see the package
 * note); Vert.x carries the codec's name, which names the record, in front of it.
 */
final class BusCodec<T> implements MessageCodec<T, T> {
  /** The version of the byte form. Appending a field to a record does not change it; any other change does. */
  static final byte VERSION = 1;

  private final String name;
  private final WireForm<T> form;

  BusCodec(Class<T> type, WireForm<T> form) {
    this.name = "junction." + WireForms.name(type);
    this.form = form;
  }

  @Override
  public void encodeToWire(Buffer buffer, T value) {
    form.write(buffer.appendByte(VERSION), value);
  }

  @Override
  public T decodeFromWire(int pos, Buffer buffer) {
    byte version = buffer.getByte(pos);
    if (version != VERSION) {
      throw new IllegalArgumentException(name + ": byte form version " + version + ", this node reads " + VERSION);
    }
    WireReader in = new WireReader(buffer, pos + 1);
    return form.read(in.tag(), in);
  }

  @Override
  public T transform(T value) {
    return value;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
