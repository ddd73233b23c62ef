package dev.junction;

import dev.junction.testkit.SdkHttpPair;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Session-based SDK clients to SDK servers over Streamable HTTP. */
class SessionToHttpIT extends SessionMatrix {
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
