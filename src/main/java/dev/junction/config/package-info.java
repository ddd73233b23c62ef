/**
 * Configuration: the YAML file bound onto immutable records. Each key is written once, as a
 * {@code Key} on the record component that holds it (its name, default,
 * bounds and description); {@code Binder} reads the file by these, {@code ConfigSchema} writes
 * {@code conf/junction.schema.json} from them, and {@code ConfigJson} shows a loaded config.
 * Loading runs on the launcher thread before Vert.x starts. The records are deeply immutable
 * (unmodifiable lists and maps), so every verticle context reads the same instance.
 */
package dev.junction.config;
