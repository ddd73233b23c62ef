/**
 * Event-bus addresses and the local codecs that hand immutable records between verticles without
 * copying. Stateless.
 */
package dev.junction.bus;
