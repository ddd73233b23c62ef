package dev.junction.routing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Exposed tool and prompt names on aggregate endpoints: {@code <prefix>_<name>}, at most
 * {@value #MAX_LENGTH} characters because several model providers accept no more. A longer name
 * becomes {@code <prefix>_<head>-<hash>}: the head of the name, then hex digits of SHA-256 of the
 * whole name, so the same name always gets the same short form. Pure.
 */
public final class Names {
  /** The longest exposed name. */
  public static final int MAX_LENGTH = 64;
  /** Hash digits in a shortened name by default; more are used where two short forms would collide. */
  public static final int HASH_DIGITS = 8;

  private Names() {
  }

  /** The exposed name, shortened when needed, with {@value #HASH_DIGITS} hash digits. */
  public static String exposed(String prefix, String name) {
    return exposed(prefix, name, HASH_DIGITS);
  }

  /** The exposed name with a given number of hash digits when shortened. */
  public static String exposed(String prefix, String name, int hashDigits) {
    String full = prefix + "_" + name;
    if (full.length() <= MAX_LENGTH) {
      return full;
    }
    String hash = sha256Hex(name).substring(0, hashDigits);
    int headRoom = MAX_LENGTH - prefix.length() - 1 - 1 - hash.length();
    if (headRoom < 1) {
      throw new IllegalArgumentException("prefix '" + prefix + "' leaves no room for names");
    }
    return prefix + "_" + name.substring(0, headRoom) + "-" + hash;
  }

  /** True when an exposed name may be a shortened one (so resolving it needs the upstream's list). */
  public static boolean maybeShortened(String exposed) {
    return exposed.length() == MAX_LENGTH && exposed.lastIndexOf('-') > 0;
  }

  /**
   * Lower-case hex SHA-256 of a string's UTF-8 bytes: the one digest behind short names, tenant
   * keys, pool keys and list content hashes.
   */
  public static String sha256Hex(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
