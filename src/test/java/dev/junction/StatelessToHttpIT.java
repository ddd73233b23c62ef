package dev.junction;

import dev.junction.testkit.SdkHttpPair;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** 2026-07-28 clients to SDK servers over Streamable HTTP. */
class StatelessToHttpIT extends StatelessMatrix {
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
