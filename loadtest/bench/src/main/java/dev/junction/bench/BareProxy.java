package dev.junction.bench;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.net.URI;
import java.util.List;

/**
 * The floor for any gateway built like Junction: a Vert.x HTTP proxy that forwards each POST to
 * one upstream and copies the answer back, with no parsing, routing, pooling, auth or metrics. Run
 * in its own JVM, on the same transport and the same cores as the gateway, it shows how much of
 * the gateway's added latency any Vert.x proxy would add on this machine, and how much is
 * Junction's own.
 *
 * <p>{@code java -cp <bench class path> dev.junction.bench.BareProxy <port> <upstream url>}
 */
public final class BareProxy {
  /** Headers passed on in either direction; the rest (hop-by-hop, lengths) are the transport's. */
  private static final List<String> REQUEST_HEADERS = List.of("Content-Type", "Accept", "Mcp-Session-Id",
      "MCP-Protocol-Version", "Mcp-Method", "Mcp-Name");
  private static final List<String> RESPONSE_HEADERS = List.of("Content-Type", "Mcp-Session-Id");

  private BareProxy() {
  }

  public static void main(String[] args) {
    int port = Integer.parseInt(args[0]);
    URI upstream = URI.create(args[1]);
    Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(256));
    RequestOptions target = new RequestOptions().setHost(upstream.getHost()).setPort(upstream.getPort())
        .setURI(upstream.getRawPath()).setMethod(HttpMethod.POST);
    // one server per event loop sharing the port, as the gateway's ingress instances do
    int loops = 2 * Runtime.getRuntime().availableProcessors();
    for (int i = 0; i < loops; i++) {
      vertx.createHttpServer().requestHandler(req -> forward(req, client, target)).listen(port, "127.0.0.1").await();
    }
  }

  private static void forward(HttpServerRequest req, HttpClient client, RequestOptions target) {
    if (req.method() != HttpMethod.POST) {
      req.response().setStatusCode("/readyz".equals(req.path()) ? 200 : 405).end();
      return;
    }
    req.body().compose(body -> client.request(new RequestOptions(target).setHeaders(copy(req.headers(), REQUEST_HEADERS)))
        .compose(up -> up.send(body))
        .compose(res -> res.body().map(answer -> {
          req.response().setStatusCode(res.statusCode()).headers().addAll(copy(res.headers(), RESPONSE_HEADERS));
          return answer;
        })))
        .onSuccess(answer -> req.response().end(answer))
        .onFailure(err -> req.response().setStatusCode(502).end());
  }

  private static MultiMap copy(MultiMap from, List<String> names) {
    MultiMap to = MultiMap.caseInsensitiveMultiMap();
    for (String name : names) {
      String value = from.get(name);
      if (value != null) {
        to.add(name, value);
      }
    }
    return to;
  }
}
