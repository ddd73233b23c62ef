package dev.junction.oauth;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenSourceTest {
  private final List<Promise<TokenSource.Token>> fetches = new ArrayList<>();

  private Future<TokenSource.Token> fetch() {
    Promise<TokenSource.Token> p = Promise.promise();
    fetches.add(p);
    return p.future();
  }

  @Test
  void concurrentCallersShareOneFetchAndTheTokenIsReusedWhileFresh() {
    TokenSource source = new TokenSource();
    Future<TokenSource.Token> a = source.get(1_000, this::fetch);
    Future<TokenSource.Token> b = source.get(1_000, this::fetch);
    assertThat(fetches).as("single flight").hasSize(1);
    fetches.get(0).complete(new TokenSource.Token("t1", System.currentTimeMillis() + 60_000));
    assertThat(a.result().value()).isEqualTo("t1");
    assertThat(b.result().value()).isEqualTo("t1");
    assertThat(source.get(1_000, this::fetch).result().value()).isEqualTo("t1");
    assertThat(fetches).hasSize(1);
  }

  @Test
  void aTokenCloseToItsExpiryIsFetchedAgainAndAFailedFetchIsNotCached() {
    TokenSource source = new TokenSource();
    source.get(5_000, this::fetch);
    fetches.get(0).complete(new TokenSource.Token("t1", System.currentTimeMillis() + 4_000));
    Future<TokenSource.Token> near = source.get(5_000, this::fetch);
    assertThat(fetches).as("less than refreshBefore left: fetched again").hasSize(2);
    fetches.get(1).fail("token endpoint down");
    assertThat(near.failed()).isTrue();
    source.get(5_000, this::fetch);
    assertThat(fetches).as("a failure is not cached").hasSize(3);
    assertThat(source.current().value()).as("the last good token stays until replaced").isEqualTo("t1");
    assertThat(source.toString()).doesNotContain("t1");
    assertThat(source.current().toString()).doesNotContain("t1");
  }
}
