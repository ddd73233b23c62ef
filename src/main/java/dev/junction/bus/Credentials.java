package dev.junction.bus;

import java.util.Map;

/** The OAuth verticle's answer: headers to send upstream (values are secrets: never logged). */
public record Credentials(Map<String, String> headers) implements BusMessage {
  public Credentials {
    headers = Map.copyOf(headers);
  }

  /** Header names only: the values are secrets. */
  @Override
  public String toString() {
    return "Credentials" + headers.keySet();
  }
}
