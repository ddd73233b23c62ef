/** Name and endpoint routing. Immutable tables built from the config; readable from any context. */
package dev.junction.routing;
