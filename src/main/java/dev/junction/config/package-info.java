/**
 * Configuration: Junction's keys, declared on immutable records and bound from the YAML file by
 * {@code dev.junction.binding}; each key is written once, as a {@code Key} on the record component
 * that holds it. Also the checks across keys, the loader, and what a reload changes (keys marked
 * {@code restart} keep their running values). Loading runs on the launcher thread before Vert.x
 * starts. The records are deeply immutable (unmodifiable lists and maps), so every verticle
 * context reads the same instance.
 */
package dev.junction.config;
