/**
 * Configuration: YAML loading, environment substitution and validation. Runs on the launcher
 * thread; the resulting options are read-only afterwards and may be read from any context.
 */
package dev.junction.config;
