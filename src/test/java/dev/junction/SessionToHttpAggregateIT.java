package dev.junction;

import dev.junction.testkit.Gateway;
import dev.junction.testkit.SdkHttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Aggregate and virtual endpoints over SDK servers on Streamable HTTP. */
class SessionToHttpAggregateIT extends AggregateMatrix {
  private static SdkHttpServer alpha;
  private static SdkHttpServer beta;

  @BeforeAll
  static void start() {
    alpha = SdkHttpServer.start("alpha");
    beta = SdkHttpServer.start("beta");
    startGateway(Gateway.http(alpha.url()), Gateway.http(beta.url()));
  }

  @AfterAll
  static void stopUpstreams() {
    alpha.close();
    beta.close();
  }
}
