package dev.junction;

import dev.junction.testkit.Gateway;
import org.junit.jupiter.api.BeforeAll;

/** Aggregate and virtual endpoints over SDK servers running as child JVMs over stdio. */
class SessionToStdioAggregateIT extends AggregateMatrix {
  @BeforeAll
  static void start() {
    startGateway(Gateway.stdio("alpha"), Gateway.stdio("beta"));
  }
}
