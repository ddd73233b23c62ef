/** JSON-RPC 2.0 envelope helpers. Pure functions over messages; no state. */
package dev.junction.jsonrpc;
