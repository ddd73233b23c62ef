package dev.junction.bus;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;

/**
 * This node's id in the cluster, kept in the Vert.x instance's local shared data (an immutable
 * string, written once before any verticle is deployed), or null when not clustered.
 */
public final class LocalNode {
  private static final String MAP = "junction.node";
  private static final String ID = "id";

  private LocalNode() {
  }

  /** This node's id, or null when the gateway runs alone. */
  public static String id(Vertx vertx) {
    if (!vertx.isClustered()) {
      return null;
    }
    LocalMap<String, String> map = vertx.sharedData().getLocalMap(MAP);
    return map.get(ID);
  }

  /** Records this node's id; called once by the launcher. */
  public static void set(Vertx vertx, String node) {
    vertx.sharedData().<String, String>getLocalMap(MAP).put(ID, node);
  }
}
