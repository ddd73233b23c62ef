package dev.junction.bus;

/** An ingress asks whether an opaque token is active (RFC 7662); the token is a secret, never logged. */
public record Introspect(String token) implements BusMessage {
  @Override
  public String toString() {
    return "Introspect[token=***]";
  }
}
