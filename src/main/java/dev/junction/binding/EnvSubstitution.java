package dev.junction.binding;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces {@code ${NAME}} and {@code ${NAME:-default}} in string values. {@code $${} writes a
 * literal {@code ${}. Substitution runs on parsed scalars, never on the YAML text, so a value
 * cannot change the structure of the file.
 */
public final class EnvSubstitution {
  /** {@code $${}, {@code ${NAME}}, {@code ${NAME:-default}}, or an unterminated {@code ${}. */
  private static final Pattern VARIABLE = Pattern.compile("\\$\\$\\{|\\$\\{([^}]*?)(?::-([^}]*))?}|\\$\\{");

  private final Function<String, String> env;

  public EnvSubstitution(Function<String, String> env) {
    this.env = env;
  }

  /** The substituted string; problems are added to {@code errors} under {@code path}. */
  String apply(String value, String path, List<String> errors) {
    Matcher m = VARIABLE.matcher(value);
    StringBuilder out = new StringBuilder(value.length());
    while (m.find()) {
      if (m.group().equals("${")) {
        errors.add(path + ": unterminated ${ in value");
        return value;
      }
      String name = m.group(1);
      String fallback = m.group(2);
      String found = name == null ? "${" : env.apply(name);
      if (found == null || found.isEmpty() && fallback != null) {
        found = fallback;
      }
      if (found == null) {
        errors.add(path + ": environment variable " + name + " is not set and has no default");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(found == null ? "" : found));
    }
    return m.appendTail(out).toString();
  }

  /** Substitutes every string in a tree of mappings and lists, in place. */
  void applyTree(JsonNode node, String path, List<String> errors) {
    if (node instanceof ObjectNode o) {
      o.fieldNames().forEachRemaining(k -> {
        JsonNode v = o.get(k);
        if (v.isTextual()) {
          o.put(k, apply(v.asText(), Binder.at(path, k), errors));
        } else {
          applyTree(v, Binder.at(path, k), errors);
        }
      });
    } else if (node instanceof ArrayNode a) {
      for (int i = 0; i < a.size(); i++) {
        if (a.get(i).isTextual()) {
          a.set(i, TextNode.valueOf(apply(a.get(i).asText(), path + "[" + i + "]", errors)));
        } else {
          applyTree(a.get(i), path + "[" + i + "]", errors);
        }
      }
    }
  }
}
