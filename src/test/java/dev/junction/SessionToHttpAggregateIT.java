package dev.junction;

import dev.junction.testkit.SdkHttpPair;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Aggregate and virtual endpoints over SDK servers on Streamable HTTP. */
class SessionToHttpAggregateIT extends AggregateMatrix {
  private static SdkHttpPair upstreams;

  @BeforeAll
  static void start() {
    upstreams = new SdkHttpPair();
    startGateway(upstreams.alpha(), upstreams.beta());
  }

  @AfterAll
  static void stopUpstreams() {
    upstreams.close();
  }
}
