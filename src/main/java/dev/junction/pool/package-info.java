/**
 * Pool shards. Each {@link dev.junction.pool.PoolShardVerticle} owns its downstream sessions,
 * tenant scopes, upstream sessions and transports; all of it is touched only on that verticle's
 * context. Other verticles reach a shard through the event bus only.
 *
 * <p><b>The pool as a state machine.</b> {@link dev.junction.pool.UpstreamPool} (with
 * {@link dev.junction.pool.KeyTransitions}) is the only code that changes pool state: the keys
 * ({@link dev.junction.pool.PoolKeys}), each key's sessions, waiters
 * and starts ({@link dev.junction.pool.KeyPool}), the tenants' bulkheads
 * ({@link dev.junction.pool.Bulkheads}) and the shard's copy of the circuits
 * ({@link dev.junction.pool.Circuits}). Each of these asserts, when it is used, that it runs on the
 * shard context that created it ({@link dev.junction.pool.Owner}; tests run with {@code -ea}).
 * Each transition is one method that changes state and returns its
 * {@link dev.junction.pool.Completions}: the callers' promises to complete or fail, the sessions to
 * close, the starts and checks to begin, the outcome reports for the health verticle.
 * {@link dev.junction.pool.Transitions} runs one transition, then its completions; a transition
 * never starts inside another (that throws). So no caller's code, and no session's close event,
 * runs in the middle of a transition: what a completion sets off (a caller releasing its lease at
 * once, a closed session, a finished start) comes back as a transition of its own, on state that is
 * whole again.
 *
 * <p><b>States.</b> A key is <i>live</i> (the newest in its slot: tenant, upstream, declared client
 * data, and for {@code client} sharing the downstream session), <i>draining</i> (superseded by a
 * newer key: it takes no call and starts no session) or <i>gone</i> (evicted, detached or shut
 * down). It holds sessions, calls waiting for one, a count of sessions being created, and a crash
 * count that delays its next start. A session is <i>idle</i>, <i>leased</i> (by up to
 * {@code maxInFlightPerSession} calls; 0 is unlimited), <i>checking</i> (idle longer than
 * {@code healthCheckInterval}, checked before its lease), <i>expired</i> (used and older than
 * {@code sessionTtl}: it takes no new call) or <i>closed</i> (removed from its key).
 *
 * <p><b>Transitions</b> (the method in brackets: admission, keys and circuits in {@code UpstreamPool},
 * one key's sessions in {@link dev.junction.pool.KeyTransitions}):
 * <ul>
 *   <li><i>admit</i> ({@code admit}): a call is refused while its upstream's circuit is open or its
 *       tenant's bulkhead ({@code maxInFlightPerTenant}) is full; otherwise it takes a bulkhead
 *       place, given back by <i>release</i>, or by <i>bulkhead left</i> ({@code bulkheadLeft}) when
 *       it got no lease. Health probes skip this step.</li>
 *   <li><i>attach</i> ({@code attachCached}, {@code attach}): the scope's key, from its cache or,
 *       once the credentials are known, made when new; a new key in a taken slot <i>drains</i>
 *       ({@code drain}) the old one, whose idle sessions close at once.</li>
 *   <li><i>acquire</i> ({@code acquire}): the least busy session with room is leased (<i>take</i>);
 *       otherwise the call waits, bounded by {@code maxWaiters}, and <i>grow</i> ({@code grow})
 *       first reaps idle dead or expired sessions, then starts sessions while the waiters outnumber
 *       what the sessions being created can take, up to {@code maxSessions} (so one start serves
 *       every call that an unlimited session can take: single flight). After crashes in a row the
 *       start waits for the key's backoff (<i>restart due</i>, {@code restartDue}).</li>
 *   <li><i>wait ended</i> ({@code waitEnded}): a waiter's {@code acquireTimeout} ran out; while a
 *       session of its key is being created it waits on, up to {@code acquireTimeout +
 *       createTimeout}, then fails with a timeout.</li>
 *   <li><i>checked</i> ({@code checked}): an idle session's check ended; it is leased, or it closes
 *       and the call is acquired afresh.</li>
 *   <li><i>created</i> ({@code created}): the session joins its key (or closes, when the key is no
 *       longer live or drains) and <i>dispatch</i> ({@code dispatch}) hands it to waiters, oldest
 *       first. <i>Start failed</i> ({@code createFailed}): the key backs off and, when nothing else
 *       will serve them soon, the waiters fail at once. A start refused for its credentials (401)
 *       is renewed by the lease and tried once more, and is no health failure until the renewal
 *       fails (<i>renewal failed</i>, {@code renewalFailed}).</li>
 *   <li><i>release</i> ({@code released}): the call's {@link dev.junction.error.Outcome} goes to the
 *       circuit copy (only faults count), the bulkhead place goes back, and the session serves
 *       waiters again, or closes when it expired, is closed, its key drains, or a probe found it
 *       unhealthy. A lease whose caller had gone is given back (<i>unclaimed</i>).</li>
 *   <li><i>closed</i> ({@code sessionClosed}): the upstream ended a session (or the pool closed
 *       it); it leaves its key, a crash backs the key's next start off, and <i>grow</i> replaces
 *       it for calls that wait.</li>
 *   <li><i>circuit changed</i> ({@code circuitChanged}): the health verticle's decision; when a
 *       circuit opens, that upstream's idle sessions close.</li>
 *   <li><i>forget</i>, <i>detach</i>, <i>sweep</i>, <i>close all</i> ({@link dev.junction.pool.PoolKeys}):
 *       credentials changed (scopes forget their cached key), a scope ended (keys that were its
 *       alone close and fail their waiters), idle and expired sessions and idle keys go (bounded per
 *       run), shutdown.</li>
 * </ul>
 *
 * <p>stdio process starts of one upstream are paced per shard ({@link dev.junction.pool.StartGate},
 * {@code startConcurrency}), and the health verticle grants process slots across shards.
 */
package dev.junction.pool;
