package dev.junction.config;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Replaces {@code ${NAME}} and {@code ${NAME:-default}} in string values. {@code $${} writes a
 * literal {@code ${}. Substitution runs on parsed scalars, never on the YAML text, so a value
 * cannot change the structure of the file.
 */
final class EnvSubstitution {
  private final Function<String, String> env;

  EnvSubstitution(Function<String, String> env) {
    this.env = env;
  }

  /** The substituted string; problems are added to {@code errors} under {@code path}. */
  String apply(String value, String path, List<String> errors) {
    if (value.indexOf('$') < 0) {
      return value;
    }
    StringBuilder out = new StringBuilder(value.length());
    int i = 0;
    while (i < value.length()) {
      char c = value.charAt(i);
      if (c == '$' && value.startsWith("$${", i)) {
        out.append("${");
        i += 3;
      } else if (c == '$' && value.startsWith("${", i)) {
        int end = value.indexOf('}', i + 2);
        if (end < 0) {
          errors.add(path + ": unterminated ${ in value");
          return value;
        }
        String expr = value.substring(i + 2, end);
        int sep = expr.indexOf(":-");
        String name = sep < 0 ? expr : expr.substring(0, sep);
        String fallback = sep < 0 ? null : expr.substring(sep + 2);
        String found = env.apply(name);
        if (found == null || (found.isEmpty() && fallback != null)) {
          found = fallback;
        }
        if (found == null) {
          errors.add(path + ": environment variable " + name + " is not set and has no default");
          found = "";
        }
        out.append(found);
        i = end + 1;
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  /** Substitutes every string in a tree of maps and lists, in place. */
  @SuppressWarnings("unchecked")
  void applyTree(Object node, String path, List<String> errors) {
    if (node instanceof Map<?, ?> map) {
      for (Map.Entry<String, Object> e : ((Map<String, Object>) map).entrySet()) {
        String p = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
        if (e.getValue() instanceof String s) {
          e.setValue(apply(s, p, errors));
        } else {
          applyTree(e.getValue(), p, errors);
        }
      }
    } else if (node instanceof List<?> list) {
      List<Object> l = (List<Object>) list;
      for (int i = 0; i < l.size(); i++) {
        String p = path + "[" + i + "]";
        if (l.get(i) instanceof String s) {
          l.set(i, apply(s, p, errors));
        } else {
          applyTree(l.get(i), p, errors);
        }
      }
    }
  }

}
