package dev.junction.bus;

import io.vertx.core.eventbus.EventBus;
import java.util.List;

/** Registers a pass-by-reference codec for every {@link BusMessage} (codecs are looked up by exact class). */
public final class Codecs {
  /** Every message class: the permitted subclasses of the sealed {@link BusMessage}. */
  static final List<Class<?>> MESSAGES = List.of(BusMessage.class.getPermittedSubclasses());

  private Codecs() {
  }

  /** Registers every codec on the event bus; call once per Vert.x instance. */
  public static void register(EventBus bus) {
    MESSAGES.forEach(type -> registerOne(bus, type));
  }

  private static <T> void registerOne(EventBus bus, Class<T> type) {
    bus.registerDefaultCodec(type, new LocalCodec<>(type));
  }
}
