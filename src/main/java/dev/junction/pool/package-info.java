/**
 * Pool shards. Each {@link dev.junction.pool.PoolShardVerticle} owns its downstream sessions,
 * tenant scopes, upstream sessions and transports; all of it is touched only on that verticle's
 * context. Other verticles reach a shard through the event bus only.
 *
 * <p><b>The pool of one key</b> ({@link dev.junction.pool.KeyPool}: tenant, upstream, config hash)
 * holds sessions (each idle, leased by some calls, or being checked), calls waiting for one, and a
 * count of sessions being created. {@link dev.junction.pool.UpstreamPool} moves it along:
 * <ul>
 *   <li><i>acquire</i>: a session with room is leased at once (checked first when it was idle
 *       longer than {@code healthCheckInterval}); otherwise the call waits, bounded by
 *       {@code maxWaiters}, and <i>grow</i> starts sessions while the waiters outnumber what the
 *       sessions being created can take, up to {@code maxSessions}. A waiter gives up after
 *       {@code acquireTimeout}, or up to {@code acquireTimeout + createTimeout} while a session for
 *       it is still being created.</li>
 *   <li><i>created</i>: the session joins the pool and <i>dispatch</i> hands it to waiters.
 *       <i>start failed</i>: the key backs off (crashes in a row delay the next start) and, when
 *       nothing else could serve them soon, the waiters fail at once. A start refused for its
 *       credentials (401) is renewed by the lease and tried once more, and is no health failure
 *       until the renewal fails.</li>
 *   <li><i>release</i>: the call's {@link dev.junction.error.Outcome} goes to the circuit copy
 *       (only faults count), the session is dispatched again, or closed when it expired, the key
 *       drains, or a probe found it unhealthy.</li>
 *   <li><i>closed</i> (the upstream ended it), <i>drain</i> (a newer credential made a new key),
 *       <i>sweep</i> (idle sessions and keys, full rate-limit buckets).</li>
 * </ul>
 * Waiters' callbacks still run inside these transitions; the loops re-read state after each, which
 * keeps it safe. Turning the transitions into ones that return their completions is open work.
 *
 * <p>stdio process starts of one upstream are paced per shard ({@link dev.junction.pool.StartGate},
 * {@code startConcurrency}), and the health verticle grants process slots across shards.
 */
package dev.junction.pool;
