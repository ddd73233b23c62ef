package dev.junction;

import dev.junction.testkit.Gateway;
import org.junit.jupiter.api.BeforeAll;

/** Session-based SDK clients to SDK servers running as child JVMs over stdio. */
class SessionToStdioIT extends SessionMatrix {
  @BeforeAll
  static void start() {
    startGateway(Gateway.stdio("alpha"), Gateway.stdio("beta"));
  }
}
