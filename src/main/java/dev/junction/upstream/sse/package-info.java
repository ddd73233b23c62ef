/**
 * Server-sent events: the parser shared by the Streamable HTTP transport and (in a later issue)
 * the legacy HTTP+SSE transport. A parser is owned by the context that feeds it.
 */
package dev.junction.upstream.sse;
