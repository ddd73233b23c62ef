package dev.junction.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntConsumer;
import java.util.function.LongConsumer;

/**
 * Typed reads from the parsed YAML tree. Each adds a message with the key's path to {@code errors}
 * instead of throwing, so that {@link ConfigLoader} can report every problem at once. Pure.
 */
final class ConfigReader {
  private ConfigReader() {
  }

  private static String at(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  static void count(Map<String, Object> m, String key, String path, int min, List<String> errors,
      IntConsumer setter) {
    if (m.containsKey(key)) {
      Integer n = integer(m.get(key), at(path, key), errors);
      if (n != null && n < min) {
        errors.add(at(path, key) + ": must be at least " + min);
      } else if (n != null) {
        setter.accept(n);
      }
    }
  }

  /** A true/false key; anything else is an error. */
  static void flag(Map<String, Object> m, String key, String path, List<String> errors,
      java.util.function.Consumer<Boolean> setter) {
    if (m.containsKey(key)) {
      if (m.get(key) instanceof Boolean b) {
        setter.accept(b);
      } else {
        errors.add(at(path, key) + ": must be true or false");
      }
    }
  }

  static Set<String> union(Set<String> a, Set<String> b) {
    java.util.HashSet<String> all = new java.util.HashSet<>(a);
    all.addAll(b);
    return Set.copyOf(all);
  }

  static void unknownKeys(Map<String, Object> m, Set<String> known, String path, List<String> errors) {
    for (String k : m.keySet()) {
      if (!known.contains(k)) {
        errors.add((path.isEmpty() ? k : path + "." + k) + ": unknown key");
      }
    }
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object v, String path, List<String> errors) {
    if (v == null) {
      return new LinkedHashMap<>();
    }
    if (v instanceof Map<?, ?> m) {
      return (Map<String, Object>) m;
    }
    errors.add(path + ": must be a mapping");
    return new LinkedHashMap<>();
  }

  static String string(Object v, String path, List<String> errors) {
    if (v == null) {
      errors.add(path + ": is required");
      return null;
    }
    if (v instanceof String || v instanceof Number || v instanceof Boolean) {
      return String.valueOf(v);
    }
    errors.add(path + ": must be a string");
    return null;
  }

  static Integer integer(Object v, String path, List<String> errors) {
    if (v instanceof Integer i) {
      return i;
    }
    if (v instanceof String s && s.matches("\\d+")) {
      return Integer.parseInt(s);
    }
    errors.add(path + ": must be a whole number");
    return null;
  }

  static List<String> strings(Object v, String path, List<String> errors) {
    if (v == null) {
      errors.add(path + ": is required");
      return List.of();
    }
    if (!(v instanceof List<?> list)) {
      errors.add(path + ": must be a list");
      return List.of();
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < list.size(); i++) {
      String s = string(list.get(i), path + "[" + i + "]", errors);
      if (s != null) {
        out.add(s);
      }
    }
    return out;
  }

  static Map<String, String> stringMap(Object v, String path, List<String> errors) {
    Map<String, Object> m = map(v, path, errors);
    Map<String, String> out = new LinkedHashMap<>();
    m.forEach((k, val) -> {
      String s = string(val, path + "." + k, errors);
      if (s != null) {
        out.put(k, s);
      }
    });
    return out;
  }

  static void duration(Map<String, Object> m, String key, String path, List<String> errors,
      LongConsumer setter) {
    if (m.containsKey(key)) {
      long ms = Durations.parseMillis(m.get(key));
      if (ms <= 0) {
        errors.add(at(path, key) + ": must be a positive duration such as 30s");
      } else {
        setter.accept(ms);
      }
    }
  }

  /** A byte size ({@code 16MiB}, {@code 512KiB} or plain bytes) from 1 byte up to {@code max}. */
  static void size(Map<String, Object> m, String key, String path, long max, List<String> errors,
      LongConsumer setter) {
    if (m.containsKey(key)) {
      long bytes = Sizes.parseBytes(m.get(key));
      if (bytes <= 0) {
        errors.add(at(path, key) + ": must be a positive size such as 16MiB, 512KiB or a number of bytes");
      } else if (bytes > max) {
        errors.add(at(path, key) + ": must be at most " + Sizes.key(max));
      } else {
        setter.accept(bytes);
      }
    }
  }

  /** A duration that may be 0 (turning something off); {@code what} ends the error, e.g. "(0 turns probes off)". */
  static void durationOrZero(Map<String, Object> m, String key, String path, String what, List<String> errors,
      LongConsumer setter) {
    if (m.containsKey(key)) {
      long ms = Durations.parseMillis(m.get(key));
      if (ms < 0) {
        errors.add(at(path, key) + ": must be a duration such as 30s" + (what == null ? "" : " " + what));
      } else {
        setter.accept(ms);
      }
    }
  }
}
