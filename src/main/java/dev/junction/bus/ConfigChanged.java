package dev.junction.bus;

import dev.junction.config.JunctionConfig;

/**
 * Published on this node only (never across a cluster: each node reloads its own mounted file)
 * when a reload has validated a new config: every verticle swaps its copy for {@code config},
 * which is immutable and handed over by reference. Versions count up from 1 (the config the node
 * started with) in the order they were applied.
 *
 * @param version the config version, 1 for the one the node started with
 * @param config the whole effective config (settings that need a restart keep their running values)
 */
public record ConfigChanged(long version, JunctionConfig config) implements BusMessage {
}
