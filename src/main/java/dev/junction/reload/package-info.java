/**
 * Config hot reload. {@link dev.junction.reload.ReloadVerticle} (one instance) owns the running
 * config and its version, on its own context: it polls the config file, takes reload requests
 * (SIGHUP, {@code POST /admin/reload}), validates a new file in full, and publishes a valid one as
 * one {@link dev.junction.bus.ConfigChanged} that every verticle applies to its own copy.
 */
package dev.junction.reload;
