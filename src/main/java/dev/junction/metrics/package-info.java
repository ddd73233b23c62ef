/** Metrics. Meters live in Micrometer's thread-safe registry; no other state. */
package dev.junction.metrics;
