package dev.junction.binding;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Bound records taken apart and put together again by reflection: a copy with one component
 * replaced, and the copy a reload applies, with the {@link Key#restart()} keys as they run. Pure.
 */
public final class Records {
  private Records() {
  }

  /**
   * {@code next} with the values of its {@link Key#restart()} keys, at any depth of records, taken
   * from {@code running}; the key paths of those that differ are added to {@code kept}.
   */
  public static <T extends Record> T keepRestartKeys(T running, T next, String path, List<String> kept) {
    T out = next;
    for (RecordComponent rc : next.getClass().getRecordComponents()) {
      Key key = rc.getAnnotation(Key.class);
      Object was = get(rc, running);
      Object now = get(rc, next);
      if (key == null || Objects.equals(was, now)) {
        continue;
      }
      String at = Binder.at(path, Binder.name(rc));
      Object keep = key.restart() ? was : was instanceof Record r && now instanceof Record n
          ? keepRestartKeys(r, n, at, kept) : now;
      if (key.restart()) {
        kept.add(at);
      }
      out = keep == now ? out : with(out, rc.getName(), keep);
    }
    return out;
  }

  /** A copy of a record with one component replaced. */
  public static <T extends Record> T with(T record, String component, Object value) {
    RecordComponent[] parts = record.getClass().getRecordComponents();
    Object[] args = new Object[parts.length];
    for (int i = 0; i < parts.length; i++) {
      args[i] = parts[i].getName().equals(component) ? value : get(parts[i], record);
    }
    @SuppressWarnings("unchecked")
    Class<T> type = (Class<T>) record.getClass();
    return construct(type, args);
  }

  static <T> T construct(Class<T> type, Object[] args) {
    Class<?>[] types = Arrays.stream(type.getRecordComponents()).map(RecordComponent::getType).toArray(Class[]::new);
    try {
      return type.getDeclaredConstructor(types).newInstance(args);
    } catch (InvocationTargetException e) {
      throw new IllegalStateException(type.getSimpleName() + " refused its values", e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(type.getSimpleName() + " is not a bound record", e);
    }
  }

  static Object get(RecordComponent rc, Object record) {
    try {
      return rc.getAccessor().invoke(record);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(rc.getName() + " cannot be read", e);
    }
  }
}
