package dev.junction.bus;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;

/**
 * Hands an immutable record to a local consumer without copying. Junction's messages never leave
 * the JVM (a clustered forward is its own issue), so the wire methods refuse.
 */
final class LocalCodec<T> implements MessageCodec<T, T> {
  private final String name;

  LocalCodec(Class<T> type) {
    this.name = "junction." + type.getSimpleName();
  }

  @Override
  public void encodeToWire(Buffer buffer, T value) {
    throw new UnsupportedOperationException(name + " is local only");
  }

  @Override
  public T decodeFromWire(int pos, Buffer buffer) {
    throw new UnsupportedOperationException(name + " is local only");
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
