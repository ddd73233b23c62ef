package dev.junction.bus;

import io.vertx.core.eventbus.EventBus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Registers a codec for every {@link BusMessage} (codecs are looked up by exact class): by reference
 * for local delivery, with a byte form derived from the record for other nodes ({@link BusCodec}).
 * A record whose byte form cannot be derived stops the registration, naming every such field.
 */
public final class Codecs {
  /** Every message class: the concrete classes of the sealed {@link BusMessage} family. */
  static final List<Class<?>> MESSAGES = List.copyOf(WireForms.members(BusMessage.class));

  private Codecs() {
  }

  /** Registers every codec on the event bus; call once per Vert.x instance. */
  public static void register(EventBus bus) {
    codecs(MESSAGES).forEach((type, codec) -> registerOne(bus, type, codec));
  }

  @SuppressWarnings("unchecked")
  private static <T> void registerOne(EventBus bus, Class<T> type, BusCodec<?> codec) {
    bus.registerDefaultCodec(type, (BusCodec<T>) codec);
  }

  /** The codec of each class, or an error that lists every field without a byte form. */
  static Map<Class<?>, BusCodec<?>> codecs(List<Class<?>> types) {
    WireForms forms = new WireForms();
    Map<Class<?>, BusCodec<?>> codecs = new LinkedHashMap<>();
    List<String> missing = new ArrayList<>();
    for (Class<?> type : types) {
      try {
        codecs.put(type, codec(forms, type));
      } catch (IllegalArgumentException e) {
        missing.add(e.getMessage());
      }
    }
    if (!missing.isEmpty()) {
      throw new IllegalStateException("bus messages without a byte form: " + String.join("; ", missing));
    }
    return codecs;
  }

  private static <T> BusCodec<T> codec(WireForms forms, Class<T> type) {
    return new BusCodec<>(type, forms.of(type, WireForms.name(type)));
  }
}
