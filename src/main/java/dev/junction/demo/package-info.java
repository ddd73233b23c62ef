/**
 * A small demo MCP server shipped inside the gateway jar, so a fresh configuration has an
 * upstream to talk to out of the box. See {@link dev.junction.demo.DemoServer}.
 */
package dev.junction.demo;
