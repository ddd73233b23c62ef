/** MCP protocol constants: revisions, header and field names. Immutable values only. */
package dev.junction.mcp;
