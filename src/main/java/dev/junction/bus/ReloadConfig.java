package dev.junction.bus;

/**
 * Asks the reload verticle to read the config file now (SIGHUP, {@code POST /admin/reload}); it
 * answers with a {@link ReloadReply} once the file is applied or rejected.
 *
 * @param trigger what asked, for the log: {@code SIGHUP}, {@code admin}
 */
public record ReloadConfig(String trigger) implements BusMessage {
}
