package dev.junction.bus;

import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.UUID;

/**
 * The one home of the session id's format. A session id names the shard that owns the session
 * and, in a cluster, the owner node; the rest is 18 random bytes, so an id cannot be guessed.
 * Clients treat it as opaque. Single node: {@code <shard>.<token>}. Cluster:
 * {@code <node>.<shard>.<token>}, the node being its id's 16 bytes in base64url. Pure functions.
 */
public final class SessionIds {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
  /** The length of a node's part: 16 bytes in base64url. */
  private static final int NODE_CHARS = 22;

  private SessionIds() {
  }

  /**
   * Who owns a session.
   *
   * @param node the owner node's id, or null for this node
   * @param shard the owner's pool shard
   */
  public record Owner(String node, int shard) {
    public boolean local() {
      return node == null;
    }
  }

  /** A new session id for shard {@code shard} of node {@code node} (null when not clustered). */
  public static String create(String node, int shard) {
    byte[] bytes = new byte[18];
    RANDOM.nextBytes(bytes);
    String token = ENCODER.encodeToString(bytes);
    return node == null ? shard + "." + token : encodeNode(node) + "." + shard + "." + token;
  }

  /**
   * The owner of session id {@code id}, or null when the id is malformed or names a shard this
   * node does not have. {@code localNode} is this node's id (null when not clustered); an id that
   * names it, or names no node, is owned here, among this node's {@code shards}. A remote owner's
   * shard is checked by the owner.
   */
  public static Owner owner(String id, String localNode, int shards) {
    int first = id.indexOf('.');
    if (first <= 0) {
      return null;
    }
    int second = id.indexOf('.', first + 1);
    String node = null;
    String shardPart;
    if (second < 0) {
      shardPart = id.substring(0, first);
    } else {
      if (localNode == null || first != NODE_CHARS) {
        return null; // a cluster's id on a single node, or no node at all
      }
      node = decodeNode(id.substring(0, first));
      if (node == null) {
        return null;
      }
      shardPart = id.substring(first + 1, second);
    }
    int shard = shard(shardPart);
    if (shard < 0) {
      return null;
    }
    boolean local = node == null || node.equals(localNode);
    if (local && shard >= shards) {
      return null;
    }
    return new Owner(local ? null : node, shard);
  }

  /** The shard named by a single node's session id ({@code <shard>.<token>}) among {@code shards}, or -1. */
  public static int shardOf(String id, int shards) {
    Owner owner = owner(id, null, shards);
    return owner == null ? -1 : owner.shard();
  }

  private static int shard(String digits) {
    if (digits.isEmpty() || digits.length() > 4) {
      return -1;
    }
    for (int i = 0; i < digits.length(); i++) {
      if (digits.charAt(i) < '0' || digits.charAt(i) > '9') {
        return -1;
      }
    }
    return Integer.parseInt(digits);
  }

  /** Whether {@code node} can be named in a session id (cluster managers name nodes by UUID). */
  public static boolean nameable(String node) {
    try {
      UUID.fromString(node);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static String encodeNode(String node) {
    UUID uuid = UUID.fromString(node);
    return ENCODER.encodeToString(ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits())
        .putLong(uuid.getLeastSignificantBits()).array());
  }

  private static String decodeNode(String part) {
    try {
      ByteBuffer bytes = ByteBuffer.wrap(DECODER.decode(part));
      return bytes.remaining() == 16 ? new UUID(bytes.getLong(), bytes.getLong()).toString() : null;
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
