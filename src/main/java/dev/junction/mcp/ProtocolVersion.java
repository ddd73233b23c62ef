package dev.junction.mcp;

import java.util.List;

/** The MCP revisions the gateway speaks, oldest first. */
public final class ProtocolVersion {
  public static final String V2024_11_05 = "2024-11-05";
  public static final String V2025_03_26 = "2025-03-26";
  public static final String V2025_06_18 = "2025-06-18";
  public static final String V2025_11_25 = "2025-11-25";
  /** The stateless revision: no initialize, no sessions, version and client data in every _meta. */
  public static final String V2026_07_28 = "2026-07-28";

  /** Session-based revisions served on Streamable HTTP, oldest first. */
  public static final List<String> SESSION_BASED = List.of(V2025_03_26, V2025_06_18, V2025_11_25);
  /** Every revision served downstream, oldest first. */
  public static final List<String> SUPPORTED = List.of(V2025_03_26, V2025_06_18, V2025_11_25, V2026_07_28);
  /** The newest session-based revision: what the gateway offers upstream by default. */
  public static final String LATEST_SESSION_BASED = V2025_11_25;
  /**
   * The version assumed when a session-based request has no MCP-Protocol-Version header
   * (2025-06-18 basic/transports, "Protocol Version Header").
   */
  public static final String ASSUMED_WITHOUT_HEADER = V2025_03_26;

  private ProtocolVersion() {
  }

  /** True for a session-based revision the gateway serves downstream; false for null. */
  public static boolean isSessionBased(String version) {
    // List.of(...).contains(null) throws
    return version != null && SESSION_BASED.contains(version);
  }

  /**
   * The revision answered to an initialize request: the client's when the gateway speaks it,
   * otherwise the newest session-based one (2025-11-25 basic/lifecycle, "Version Negotiation").
   */
  public static String negotiate(String requested) {
    return isSessionBased(requested) ? requested : LATEST_SESSION_BASED;
  }
}
