/**
 * Binding YAML onto immutable records, knowing none of them: the Jackson part that a plain
 * databind mapping lacks. A record declares each key once, as a {@code Key} on its component (the
 * YAML name, default, unit, bounds, description, whether it is secret or read only at start);
 * {@code Binder} reads a file by these and reports every problem at once with its key path,
 * {@code Schema} writes the file's JSON Schema from them, {@code Show} shows bound values with
 * secrets masked, and {@code Records} copies them (a reload keeps its restart keys' values).
 * Used by {@code dev.junction.config}, which holds Junction's own keys.
 */
package dev.junction.binding;
