package dev.junction.testkit;

import io.vertx.core.json.JsonObject;

/** The two SDK servers over Streamable HTTP that the transport matrix puts behind the gateway. */
public final class SdkHttpPair implements AutoCloseable {
  private final SdkHttpServer alpha = SdkHttpServer.start("alpha");
  private final SdkHttpServer beta = SdkHttpServer.start("beta");

  /** The upstream entry for alpha. */
  public JsonObject alpha() {
    return Gateway.http(alpha.url());
  }

  /** The upstream entry for beta. */
  public JsonObject beta() {
    return Gateway.http(beta.url());
  }

  @Override
  public void close() {
    alpha.close();
    beta.close();
  }
}
