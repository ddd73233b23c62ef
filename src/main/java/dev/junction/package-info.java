/**
 * Junction, a multi-tenant MCP gateway. {@link dev.junction.Main} is the command line;
 * {@link dev.junction.Junction} deploys the verticles. State is owned per verticle context.
 */
package dev.junction;
