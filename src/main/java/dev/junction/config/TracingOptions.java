package dev.junction.config;

import dev.junction.binding.Key;

/**
 * OpenTelemetry tracing ({@code tracing: {endpoint, sampleRatio, serviceName}}), off unless an
 * OTLP endpoint is set here or in {@code OTEL_EXPORTER_OTLP_ENDPOINT} /
 * {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT}. Keys set here win over the {@code OTEL_*} variables.
 *
 * @param endpoint the OTLP/HTTP base URL (spans go to {@code <endpoint>/v1/traces}), or null
 * @param sampleRatio the share of new traces recorded, or -1 when unset; a client's sampled flag is kept
 * @param serviceName the {@code service.name} resource attribute, or null
 */
public record TracingOptions(
    @Key(pattern = "https?://.+", must = "be an http(s) URL, got %s", doc = "The OTLP/HTTP collector's base URL"
        + " (spans go to <endpoint>/v1/traces); absent: OTEL_EXPORTER_OTLP_ENDPOINT, else tracing is off.")
    String endpoint,
    @Key(value = "-1", min = -1, max = 1, must = "be between 0 and 1, got %s", doc = "The share of new traces"
        + " recorded, 0 to 1 (parent-based: a client's sampled flag is kept); -1: OTEL_TRACES_SAMPLER_ARG, else 1.")
    double sampleRatio,
    @Key(doc = "The service.name of the spans; absent: OTEL_SERVICE_NAME, else junction.") String serviceName) {
}
