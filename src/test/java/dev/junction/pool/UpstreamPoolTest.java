package dev.junction.pool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.junction.bus.Codecs;
import dev.junction.bus.Credentials;
import dev.junction.bus.HealthChange;
import dev.junction.bus.UpstreamState;
import dev.junction.config.ConfigLoader;
import dev.junction.config.JunctionConfig;
import dev.junction.error.JunctionError;
import dev.junction.error.JunctionException;
import dev.junction.error.Outcome;
import dev.junction.jsonrpc.JsonRpc;
import dev.junction.mcp.ProtocolVersion;
import dev.junction.metrics.JunctionMetrics;
import dev.junction.upstream.UpstreamTransport;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.Checkpoint;
import io.vertx.junit5.Timeout;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Drives {@link UpstreamPool} on a real Vert.x context with a fake transport that answers
 * initialize and calls in memory: limits, waiters, single-flight creation, TTL and idle expiry,
 * draining, the tenant bulkhead, circuits, and a failure during each step. Every timing is a
 * Vert.x timer, never a sleep.
 */
@ExtendWith(VertxExtension.class)
@Timeout(value = 20, timeUnit = TimeUnit.SECONDS)
class UpstreamPoolTest {
  private static final String UPSTREAM = "fake";

  /** How the fake upstream answers initialize. */
  enum Init { ANSWER, REFUSE, HOLD }

  /** An upstream in memory: answers initialize (as told), ping and tools/call; can crash. */
  static final class FakeTransport implements UpstreamTransport {
    private final Vertx vertx;
    private final Init init;
    private final Promise<FakeTransport> initializeSeen;
    private Listener listener;
    private Object heldInitialize;
    boolean pingFails;
    boolean closed;

    FakeTransport(Vertx vertx, Init init, Promise<FakeTransport> initializeSeen) {
      this.vertx = vertx;
      this.init = init;
      this.initializeSeen = initializeSeen;
    }

    @Override
    public Future<Void> start(Listener listener) {
      this.listener = listener;
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> send(JsonObject message) {
      String method = message.getString("method");
      Object id = message.getValue("id");
      if (id == null || method == null) {
        return Future.succeededFuture();
      }
      switch (method) {
        case "initialize" -> {
          initializeSeen.tryComplete(this);
          if (init == Init.HOLD) {
            heldInitialize = id;
          } else if (init == Init.REFUSE) {
            answer(new JsonObject().put("jsonrpc", "2.0").put("id", id)
                .put("error", new JsonObject().put("code", -32603).put("message", "no")));
          } else {
            answerInitialize(id);
          }
        }
        case "ping" -> answer(pingFails
            ? new JsonObject().put("jsonrpc", "2.0").put("id", id)
                .put("error", new JsonObject().put("code", -32603).put("message", "sick"))
            : JsonRpc.result(id, new JsonObject()));
        default -> answer(JsonRpc.result(id, new JsonObject().put("content", new JsonArray())));
      }
      return Future.succeededFuture();
    }

    /** Answers the initialize the transport holds. */
    void releaseInitialize() {
      answerInitialize(heldInitialize);
    }

    private void answerInitialize(Object id) {
      answer(JsonRpc.result(id, new JsonObject().put("protocolVersion", ProtocolVersion.LATEST_SESSION_BASED)
          .put("capabilities", new JsonObject()).put("serverInfo", new JsonObject().put("name", "fake")
              .put("version", "1"))));
    }

    private void answer(JsonObject message) {
      vertx.runOnContext(v -> listener.onMessage(message, null));
    }

    /** The process died. */
    void crash() {
      closed = true;
      listener.onClosed(Outcome.DISCONNECTED, "process exited");
    }

    @Override
    public Future<Void> close() {
      closed = true;
      return Future.succeededFuture();
    }
  }

  /** A pool on its own context with the fake upstream, its sessions and what they were asked. */
  static final class Rig {
    final Vertx vertx;
    final Context context;
    final UpstreamPool pool;
    final List<FakeTransport> transports = new ArrayList<>();
    final Map<String, Scope> scopes = new HashMap<>();
    Promise<FakeTransport> initializeSeen = Promise.promise();
    Init init = Init.ANSWER;
    RuntimeException createFails;
    Credentials credentials = new Credentials(Map.of("authorization", "one"));
    int creates;

    Rig(Vertx vertx, Context context, String poolOptions) {
      this.vertx = vertx;
      this.context = context;
      Codecs.register(vertx.eventBus());
      JunctionConfig config = new ConfigLoader(k -> null).parse("""
          auth: {unauthenticated: allow}
          upstreams:
            fake:
              transport: stdio
              command: [fake]
              pool: %s
          """.formatted(poolOptions));
      UpstreamSession.Events events = new UpstreamSession.Events() {
        @Override
        public void onServerRequest(UpstreamSession session, JsonObject request, Call related) {
        }

        @Override
        public void onNotification(UpstreamSession session, JsonObject notification, Call related) {
        }

        @Override
        public void onClosed(UpstreamSession session, String reason) {
          pool().closed(session, reason);
        }
      };
      UpstreamPool.Factory factory = key -> {
        creates++;
        if (createFails != null) {
          return Future.failedFuture(createFails);
        }
        FakeTransport transport = new FakeTransport(vertx, init, initializeSeen);
        transports.add(transport);
        return new UpstreamSession(vertx, key, transport, events).initialize(5_000, false);
      };
      pool = new UpstreamPool(vertx, config, JunctionMetrics.create(), factory,
          (scope, upstream) -> Future.succeededFuture(credentials),
          (scope, upstream, used, challenge) -> Future.failedFuture("no renewal here"), new UpstreamRevisions());
    }

    UpstreamPool pool() {
      return pool;
    }

    Future<Lease> acquire(String tenant) {
      return pool.acquire(scopes.computeIfAbsent(tenant, t -> new Scope(t, new JsonObject(),
          new JsonObject().put("name", "test").put("version", "0"), ProtocolVersion.LATEST_SESSION_BASED)), UPSTREAM);
    }

    Future<Lease> acquire() {
      return acquire("tenant-a");
    }

    void release(Lease lease) {
      pool.release(lease, Reply.LEASED);
    }

    /** The only key's admin view. */
    JsonObject key() {
      JsonArray keys = pool.snapshot();
      assertThat(keys).hasSize(1);
      return keys.getJsonObject(0);
    }

    FakeTransport transportOf(Lease lease) {
      for (FakeTransport t : transports) {
        if (t.listener == lease.session()) {
          return t;
        }
      }
      throw new AssertionError("no transport for the lease's session");
    }

    /** Completes after {@code ms} on the rig's context. */
    Future<Void> after(long ms) {
      Promise<Void> done = Promise.promise();
      vertx.setTimer(ms, t -> done.complete());
      return done.future();
    }
  }

  /**
   * Builds a rig on a fresh context and runs {@code test} there; the test passes when its future
   * succeeds (and every other checkpoint of the test is flagged).
   */
  private static void on(Vertx vertx, VertxTestContext ctx, String poolOptions, Function<Rig, Future<?>> test) {
    Checkpoint done = ctx.checkpoint();
    Context context = vertx.getOrCreateContext();
    context.runOnContext(v -> {
      Future<?> run;
      try {
        run = test.apply(new Rig(vertx, context, poolOptions));
      } catch (Throwable t) {
        run = Future.failedFuture(t);
      }
      run.onComplete(ctx.succeeding(result -> done.flag()));
    });
  }

  private static void assertFails(Throwable err, JunctionError error, String detail) {
    assertThat(err).isInstanceOf(JunctionException.class);
    assertThat(((JunctionException) err).error()).isEqualTo(error);
    assertThat(err.getMessage()).contains(detail);
  }

  @Test
  void maxSessionsBoundsTheSessionsOfAKeyAndAReleaseServesTheWaiter(Vertx vertx, VertxTestContext ctx) {
    on(vertx, ctx, "{maxSessions: 2, maxInFlightPerSession: 1}", rig -> {
      Future<Lease> first = rig.acquire();
      Future<Lease> second = rig.acquire();
      Future<Lease> third = rig.acquire();
      return Future.all(first, second).compose(both -> {
        assertThat(rig.creates).isEqualTo(2);
        assertThat(first.result().session()).isNotSameAs(second.result().session());
        assertThat(third.isComplete()).isFalse();
        assertThat(rig.key().getInteger("waiting")).isEqualTo(1);
        rig.release(first.result());
        return third;
      }).map(lease -> {
        assertThat(lease.session()).isSameAs(first.result().session());
        assertThat(rig.creates).isEqualTo(2);
        assertThat(rig.key().getInteger("waiting")).isZero();
        return lease;
      });
    });
  }

  @Test
  void aWaiterGivesUpAfterItsAcquireTimeout(Vertx vertx, VertxTestContext ctx) {
    on(vertx, ctx, "{maxSessions: 1, maxInFlightPerSession: 1, acquireTimeout: 100ms}", rig ->
        rig.acquire().compose(held -> {
          long since = System.currentTimeMillis();
          return rig.acquire().transform(ar -> {
            assertThat(ar.failed()).isTrue();
            assertFails(ar.cause(), JunctionError.UPSTREAM_TIMEOUT, "no session within");
            assertThat(System.currentTimeMillis() - since).isGreaterThanOrEqualTo(100);
            assertThat(rig.key().getInteger("waiting")).isZero();
            assertThat(rig.creates).isEqualTo(1);
            return Future.succeededFuture();
          });
        }));
  }

  /** A waiter whose session is still starting waits past its acquireTimeout (up to acquireTimeout + createTimeout). */
  @Test
  void aWaiterWaitsOnWhileItsSessionIsStillStarting(Vertx vertx, VertxTestContext ctx) {
    on(vertx, ctx, "{acquireTimeout: 100ms, createTimeout: 5s}", rig -> {
      rig.init = Init.HOLD;
      long since = System.currentTimeMillis();
      Future<Lease> lease = rig.acquire();
      return rig.initializeSeen.future().compose(transport -> rig.after(250).map(transport)).compose(transport -> {
        assertThat(lease.isComplete()).isFalse();
        transport.releaseInitialize();
        return lease;
      }).map(leased -> {
        assertThat(System.currentTimeMillis() - since).isGreaterThanOrEqualTo(250);
        assertThat(rig.creates).isEqualTo(1);
        return leased;
      });
    });
  }

  @Test
  void waitersBeyondMaxWaitersAreRefusedAtOnce(Vertx vertx, VertxTestContext ctx) {
    on(vertx, ctx, "{maxSessions: 1, maxInFlightPerSession: 1, maxWaiters: 1}", rig ->
        rig.acquire().compose(held -> {
          Future<Lease> waiting = rig.acquire();
          return rig.acquire().transform(ar -> {
            assertThat(ar.failed()).isTrue();
            assertFails(ar.cause(), JunctionError.UPSTREAM_UNAVAILABLE, "session pool exhausted (1 calls waiting)");
            assertThat(waiting.isComplete()).isFalse();
            rig.release(held);
            return waiting;
          });
        }));
  }

  /**
   * One session is created for five calls that arrive together (unlimited calls per session), and
   * each caller hears of its lease only once the transition that served them all has finished: the
   * first callback already sees every waiter served.
   */
  @Test
  void creationIsSingleFlightAndWaitersHearAfterTheTransition(Vertx vertx, VertxTestContext ctx) {
    Checkpoint served = ctx.checkpoint(5);
    on(vertx, ctx, "{maxSessions: 4, maxInFlightPerSession: 0}", rig -> {
      rig.init = Init.HOLD;
      List<Future<Lease>> leases = new ArrayList<>();
      List<Integer> seenWaiting = new ArrayList<>();
      List<Integer> seenInFlight = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        leases.add(rig.acquire().onSuccess(lease -> {
          JsonObject key = rig.key();
          seenWaiting.add(key.getInteger("waiting"));
          seenInFlight.add(key.getJsonArray("sessions").getJsonObject(0).getInteger("inFlight"));
          served.flag();
        }));
      }
      assertThat(rig.key().getInteger("waiting")).isEqualTo(5);
      assertThat(rig.key().getInteger("creating")).isEqualTo(1);
      return rig.initializeSeen.future().compose(transport -> {
        assertThat(rig.creates).isEqualTo(1);
        transport.releaseInitialize();
        return Future.all(leases);
      }).map(all -> {
        assertThat(rig.creates).isEqualTo(1);
        assertThat(leases).allSatisfy(l -> assertThat(l.result().session()).isSameAs(leases.get(0).result().session()));
        LoggerFactory.getLogger("dbg").warn("seen {} {}", seenWaiting, seenInFlight);
        assertThat(seenWaiting).containsOnly(0);
        assertThat(seenInFlight).containsOnly(5);
        return all;
      });
    });
  }

  @Test
  void aUsedSessionPastItsTtlGoesOnRelease(Vertx vertx, VertxTestContext ctx) {
    on(vertx, ctx, "{sessionTtl: 100ms}", rig ->
        rig.acquire().compose(lease -> rig.after(150).map(lease)).compose(lease -> {
          FakeTransport old = rig.transportOf(lease);
          assertThat(old.closed).isFalse();
          rig.release(lease);
          assertThat(old.closed).isTrue();
          assertThat(rig.key().getJsonArray("sessions")).isEmpty();
          return rig.acquire().map(next -> {
            assertThat(next.session()).isNotSameAs(lease.session());
            assertThat(rig.creates).isEqualTo(2);
            return next;
          });
        }));
  }

  @Test
  void anIdleSessionClosesAndItsKeyIsEvictedOnSweep(Vertx vertx, VertxTestContext ctx) {
    on(vertx, ctx, "{idleTimeout: 100ms}", rig ->
        rig.acquire().compose(lease -> {
          rig.release(lease);
          rig.pool.sweep();
          // not idle for long enough yet
          assertThat(rig.transportOf(lease).closed).isFalse();
          assertThat(rig.pool.snapshot()).hasSize(1);
          return rig.after(150).map(lease);
        }).map(lease -> {
          rig.pool.sweep();
          assertThat(rig.transportOf(lease).closed).isTrue();
          assertThat(rig.pool.snapshot()).isEmpty();
          return lease;
        }));
  }

  @Test
  void aNewCredentialDrainsTheOldKey(Vertx vertx, VertxTestContext ctx) {
    on(vertx, ctx, "{maxSessions: 2, maxInFlightPerSession: 1}", rig -> {
      Future<Lease> busy = rig.acquire();
      Future<Lease> idle = rig.acquire();
      return Future.all(busy, idle).compose(both -> {
        rig.release(idle.result());
        FakeTransport busyTransport = rig.transportOf(busy.result());
        FakeTransport idleTransport = rig.transportOf(idle.result());
        rig.credentials = new Credentials(Map.of("authorization", "two"));
        rig.pool.forget(UPSTREAM, null);
        return rig.acquire().map(fresh -> {
          // the superseded key stops taking calls; its idle session goes at once, its busy one on release
          assertThat(idleTransport.closed).isTrue();
          assertThat(busyTransport.closed).isFalse();
          assertThat(fresh.session()).isNotSameAs(busy.result().session());
          assertThat(fresh.pool()).isNotSameAs(busy.result().pool());
          assertThat(busy.result().pool().draining).isTrue();
          rig.release(busy.result());
          assertThat(busyTransport.closed).isTrue();
          assertThat(busy.result().pool().entries).isEmpty();
          return fresh;
        });
      });
    });
  }

  /**
   * A draining key starts no session: when its last session dies, a call that was already waiting
   * on it is not served by a new one (it times out; its next attempt uses the new key).
   */
  @Test
  void aSessionThatDiesWhileItsKeyDrainsIsNotReplaced(Vertx vertx, VertxTestContext ctx) {
    on(vertx, ctx, "{maxSessions: 1, maxInFlightPerSession: 1, acquireTimeout: 200ms}", rig ->
        rig.acquire().compose(busy -> {
          Future<Lease> waiter = rig.acquire();
          rig.credentials = new Credentials(Map.of("authorization", "two"));
          rig.pool.forget(UPSTREAM, null);
          return rig.acquire().compose(fresh -> {
            KeyPool old = busy.pool();
            assertThat(old.draining).isTrue();
            assertThat(fresh.pool()).isNotSameAs(old);
            int creates = rig.creates;
            rig.transportOf(busy).crash();
            assertThat(old.entries).isEmpty();
            assertThat(old.creating).isZero();
            rig.release(busy);
            assertThat(rig.creates).isEqualTo(creates);
            return waiter.transform(ar -> {
              assertThat(ar.failed()).isTrue();
              assertFails(ar.cause(), JunctionError.UPSTREAM_TIMEOUT, "no session within");
              assertThat(rig.creates).isEqualTo(creates);
              assertThat(old.entries).isEmpty();
              return Future.succeededFuture();
            });
          });
        }));
  }

  @Test
  void theTenantBulkheadBoundsOneTenantOnly(Vertx vertx, VertxTestContext ctx) {
    on(vertx, ctx, "{maxInFlightPerTenant: 2}", rig -> {
      Future<Lease> a1 = rig.acquire("tenant-a");
      Future<Lease> a2 = rig.acquire("tenant-a");
      return Future.all(a1, a2).compose(both -> rig.acquire("tenant-a").transform(ar -> {
        assertThat(ar.failed()).isTrue();
        assertFails(ar.cause(), JunctionError.UPSTREAM_UNAVAILABLE, "too many concurrent calls from this tenant (2)");
        return rig.acquire("tenant-b");
      })).compose(b -> {
        rig.release(a1.result());
        return rig.acquire("tenant-a");
      });
    });
  }

  @Test
  void aFailedCreateFailsTheWaitersAtOnceAndGivesTheBulkheadBack(Vertx vertx, VertxTestContext ctx) {
    on(vertx, ctx, "{maxInFlightPerTenant: 1, acquireTimeout: 10s}", rig -> {
      rig.createFails = JunctionException.upstream(JunctionError.UPSTREAM_UNAVAILABLE, UPSTREAM,
          "process limit reached");
      long since = System.currentTimeMillis();
      return rig.acquire().transform(ar -> {
        assertThat(ar.failed()).isTrue();
        assertFails(ar.cause(), JunctionError.UPSTREAM_UNAVAILABLE, "process limit reached");
        assertThat(System.currentTimeMillis() - since).isLessThan(5_000);
        assertThat(rig.key().getInteger("waiting")).isZero();
        rig.createFails = null;
        // the failed call's bulkhead place (the tenant's only one) is free again
        return rig.acquire();
      });
    });
  }

  @Test
  void aRefusedInitializeFailsTheLeaseAndClosesTheTransport(Vertx vertx, VertxTestContext ctx) {
    on(vertx, ctx, "{}", rig -> {
      rig.init = Init.REFUSE;
      return rig.acquire().transform(ar -> {
        assertThat(ar.failed()).isTrue();
        assertThat(ar.cause().getMessage()).contains("initialize failed: no");
        assertThat(rig.transports).hasSize(1);
        assertThat(rig.transports.get(0).closed).isTrue();
        JsonObject key = rig.key();
        assertThat(key.getJsonArray("sessions")).isEmpty();
        assertThat(key.getInteger("creating")).isZero();
        assertThat(key.getInteger("waiting")).isZero();
        return Future.succeededFuture();
      });
    });
  }

  @Test
  void aSessionThatDiesWhileCallsWaitIsReplacedForThem(Vertx vertx, VertxTestContext ctx) {
    on(vertx, ctx, "{maxSessions: 1, maxInFlightPerSession: 1}", rig ->
        rig.acquire().compose(held -> {
          Future<Lease> waiting = rig.acquire();
          assertThat(waiting.isComplete()).isFalse();
          rig.transportOf(held).crash();
          return waiting.map(next -> {
            assertThat(next.session()).isNotSameAs(held.session());
            assertThat(rig.creates).isEqualTo(2);
            rig.release(held);
            assertThat(rig.key().getJsonArray("sessions")).hasSize(1);
            return next;
          });
        }));
  }

  @Test
  void anIdleSessionThatFailsItsCheckIsReplaced(Vertx vertx, VertxTestContext ctx) {
    on(vertx, ctx, "{healthCheckInterval: 50ms, healthCheck: [ping]}", rig ->
        rig.acquire().compose(first -> {
          rig.release(first);
          rig.transportOf(first).pingFails = true;
          return rig.after(100).compose(v -> rig.acquire()).map(next -> {
            assertThat(next.session()).isNotSameAs(first.session());
            assertThat(rig.transportOf(first).closed).isTrue();
            assertThat(rig.creates).isEqualTo(2);
            return next;
          });
        }));
  }

  @Test
  void anOpenCircuitRefusesCallsAndClosesIdleSessions(Vertx vertx, VertxTestContext ctx) {
    on(vertx, ctx, "{}", rig ->
        rig.acquire().compose(lease -> {
          rig.release(lease);
          rig.pool.health(new HealthChange(UPSTREAM, UpstreamState.UNHEALTHY, true, UPSTREAM));
          assertThat(rig.transportOf(lease).closed).isTrue();
          return rig.acquire().transform(ar -> {
            assertThat(ar.failed()).isTrue();
            assertFails(ar.cause(), JunctionError.UPSTREAM_UNAVAILABLE, "circuit open");
            rig.pool.health(new HealthChange(UPSTREAM, UpstreamState.HEALTHY, false, UPSTREAM));
            return rig.acquire();
          });
        }));
  }

  @Test
  void thePoolRefusesToBeTouchedOffItsContext(Vertx vertx, VertxTestContext ctx) throws Exception {
    Promise<Rig> built = Promise.promise();
    on(vertx, ctx, "{}", rig -> {
      built.complete(rig);
      return Future.succeededFuture();
    });
    assertThat(ctx.awaitCompletion(10, TimeUnit.SECONDS)).isTrue();
    Rig rig = built.future().result();
    assertThatThrownBy(rig.pool::sweep).isInstanceOf(AssertionError.class);
    assertThatThrownBy(rig.pool::snapshot).isInstanceOf(AssertionError.class);
  }
}
