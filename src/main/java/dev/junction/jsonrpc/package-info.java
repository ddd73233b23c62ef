/**
 * JSON-RPC 2.0 envelope helpers, and the reading of answers whose result stays the upstream's
 * bytes ({@link dev.junction.jsonrpc.Envelope}, {@link dev.junction.jsonrpc.RawJson}). Pure
 * functions and immutable values; no state.
 */
package dev.junction.jsonrpc;
