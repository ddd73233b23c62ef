package dev.junction;

import dev.junction.testkit.Gateway;
import org.junit.jupiter.api.BeforeAll;

/** 2026-07-28 clients to SDK servers running as child JVMs over stdio. */
class StatelessToStdioIT extends StatelessMatrix {
  @BeforeAll
  static void start() {
    startGateway(Gateway.stdio("alpha"), Gateway.stdio("beta"));
  }
}
