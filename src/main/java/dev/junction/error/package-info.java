/** Failures and their one mapping to JSON-RPC codes and HTTP statuses. Immutable values only. */
package dev.junction.error;
