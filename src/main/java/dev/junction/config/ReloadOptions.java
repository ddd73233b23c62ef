package dev.junction.config;

import static dev.junction.binding.Key.Unit.MILLIS;

import dev.junction.binding.Key;

/**
 * How the config file is watched for changes ({@code reload: {watch, pollInterval, debounce}}).
 * The file's content is polled, not its inode or timestamp, so a Kubernetes ConfigMap's symlink
 * swap and an editor's write-then-rename are seen like an in-place write. A changed content is
 * applied once it has stayed the same for {@code debounce}. SIGHUP and {@code POST /admin/reload}
 * reload at once, whatever {@code watch} says.
 *
 * @param watch whether the file is polled at all
 * @param pollIntervalMs how often the file is read
 * @param debounceMs how long a new content must stay unchanged before it is applied
 */
public record ReloadOptions(
    @Key(value = "true", doc = "Poll the config file and apply a changed one (SIGHUP and POST /admin/reload work"
        + " either way).") boolean watch,
    @Key(name = "pollInterval", value = "1s", unit = MILLIS, min = 50, must = "be a duration of at least 50ms",
        doc = "How often the config file is read to see whether it changed.") long pollIntervalMs,
    @Key(name = "debounce", value = "500ms", unit = MILLIS, min = 0, must = "be a duration such as 500ms",
        doc = "A changed file is applied once it has stayed the same this long.") long debounceMs) {
}
