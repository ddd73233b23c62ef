/**
 * Cluster mode: Junction nodes joined on the Vert.x clustered event bus, Hazelcast being the
 * cluster manager ({@code cluster:} in the config; off by default, and then nothing here runs).
 *
 * <h2>Node-local and cluster addresses</h2>
 * On a clustered bus a plain {@code send} to an address that several nodes registered picks one
 * of them in turn. Every node has the same verticles ({@code junction.pool.N}, health, OAuth, ...),
 * so all of those are registered with {@code localConsumer}: they are never visible to other nodes,
 * a send to them is always delivered on the sending node, by reference, and a {@code publish}
 * (health changes, credentials, issuer keys) and the drain signal reach only the node's own
 * verticles. Three kinds of address are registered cluster-wide ({@code consumer}), each named
 * after its node ({@code bus.Addresses}), so there is only ever one consumer per address in the
 * cluster:
 * <ul>
 *   <li>{@code junction.node.<node>.pool.<shard>} and {@code ….session}: the relay and session-command
 *   addresses of each pool shard, for requests forwarded by other nodes;</li>
 *   <li>{@code junction.node.<node>.exchange.<uuid>}: each ingress instance's stream-event address, to
 *   which an owner shard streams a forwarded request's events (progress, logging, sampling,
 *   elicitation, roots, list_changed) and the session's GET stream;</li>
 *   <li>{@code junction.node.<node>.ping}: the liveness ping answered by {@link ClusterVerticle}.</li>
 * </ul>
 * One more, {@code junction.cluster.leaving}, has one consumer per node ({@link ClusterVerticle}):
 * it is only ever published to, by a node that leaves after its drain.
 * A message is written to bytes only when it crosses nodes (the codecs of {@code bus.Codecs}); a
 * send to a cluster address of the node itself stays by reference.
 *
 * <h2>Session ownership</h2>
 * {@code initialize} is served by the node that receives it, and the session id names that node
 * and the shard ({@code bus.SessionIds}). Any other request of the session (POST calls,
 * notifications, responses to server requests, GET, DELETE) that reaches another node is sent to
 * the owner's cluster address as it would be to a local shard; the owner checks the tenant as
 * always (another tenant's session is 404 on every node) and answers over the bus. Requests of
 * stateless (2026-07-28) clients are never forwarded: every node serves them from its own pools.
 *
 * <h2>Node loss</h2>
 * Hazelcast removes a silent member after {@code cluster.memberTimeout}. {@link ClusterVerticle}
 * publishes the new member list on its node; ingress instances then answer 404 for sessions of a
 * node that is no longer a member, and pool shards forget GET streams held by it. A forward in
 * flight does not wait for that: while forwards to a node are in flight, the ingress pings the node
 * every second, and a ping unanswered within 2 s (or the node's departure) fails them with -32603.
 *
 * <h2>Clean departure</h2>
 * A node stopped with SIGTERM drains ({@code Junction.drain}): after the drain delay its pool shards
 * answer new requests of its sessions with 404, wherever they come from, and wait for the calls in
 * flight. Then it publishes {@code bus.NodeLeaving}; every node's {@link ClusterVerticle} adds it to
 * the {@code leaving} list of its member view, and ingress instances answer 404 for its sessions
 * without forwarding (forwards already on their way are still answered, so they are not failed). It
 * leaves the cluster half a second later, as Vert.x closes.
 *
 * <h2>What stays per node</h2>
 * Health state, circuits, process slots, upstream tokens and upstream session pools are per node
 * (README, "Cluster mode"): each node reaches upstreams over its own network path, holds its own
 * processes, and must keep working when the others are gone.
 *
 * <p>{@link ClusterVerticle}'s state is owned by its context; {@link HazelcastSetup} holds none.
 */
package dev.junction.cluster;
