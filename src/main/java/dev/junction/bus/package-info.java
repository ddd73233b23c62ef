/**
 * The contract between the verticles: every record that crosses the event bus (a sealed
 * {@link dev.junction.bus.BusMessage} family, handed over by reference by {@link dev.junction.bus.Codecs}),
 * the addresses they travel to ({@link dev.junction.bus.Addresses}), and the health values the
 * health verticle publishes. It imports no verticle package. Stateless.
 *
 * <p>The conversations:
 * <ul>
 *   <li><b>Relay</b> (ingress to the tenant's shard, request/reply): {@code RelayRequest} carries one
 *       client message with its endpoint, tenant key, session id and revision; the shard answers
 *       with a {@code RelayReply}. While the call runs, the shard sends {@code StreamEvent}s
 *       (progress, logging, server requests) to the exchange's address. The reply says how many
 *       events were sent before it ({@code streamed}), and the ingress holds the reply back until
 *       that many have arrived: the event bus does not order messages to two addresses, and a
 *       result must never overtake the progress that came before it. A request with an exchange
 *       to a shard of the same node goes one way instead, and the shard answers with a
 *       {@code RelayAnswer} on the exchange's address, after its events: no reply handler and no
 *       timer per request (the ingress instance checks the answers' deadlines once a second).</li>
 *   <li><b>Session commands</b> (ingress to a shard): {@code SessionCommand} opens or closes a GET
 *       stream, ends a session, or cancels the calls of a vanished exchange; the first two that
 *       ask are answered with a {@code SessionReply}.</li>
 *   <li><b>Health</b>: shards report {@code CallOutcome}s and answer {@code ProbeUpstream} with a
 *       {@code ProbeResult}; the health verticle publishes {@code HealthChange}s (an
 *       {@link dev.junction.bus.UpstreamState} and the circuit) that every shard applies to its own
 *       copy, grants stdio process slots ({@code ProcessSlot}, {@code ProcessSlotReply}), and
 *       answers {@code ReadyQuery} and {@code UpstreamsQuery}.</li>
 *   <li><b>Credentials</b>: shards ask the OAuth verticle for an upstream's {@code Credentials}
 *       ({@code CredentialsRequest}) and for renewed ones after a 401 ({@code RefreshCredentials});
 *       both are answered with a {@code CredentialsReply}: the credentials, or a refusal in words
 *       fit for a client. It publishes {@code CredentialsChanged} when a token is renewed.</li>
 *   <li><b>Inbound keys</b>: the OAuth verticle publishes the issuer's {@link dev.junction.bus.KeySet}
 *       ({@code InboundKeys}), answers {@code KeysQuery} for an unknown key id and {@code Introspect}
 *       with an {@code IntrospectReply} (active, inactive, or the endpoint unavailable).</li>
 *   <li><b>Admin and liveness</b>: {@code AdminQuery} to each shard ({@code PoolSnapshot}),
 *       {@code Heartbeat} to every shard and the health verticle, {@code GatewayStarted} once.</li>
 *   <li><b>Config reload</b>: SIGHUP and {@code POST /admin/reload} send {@code ReloadConfig} to the
 *       reload verticle, which answers with a {@code ReloadReply}; it publishes each new config
 *       version as a {@code ConfigChanged} on this node only (local delivery: each node reloads its
 *       own file), which every verticle applies to its own copy.</li>
 * </ul>
 *
 * <p>The wire form. A local send hands the record itself to the consumer: no copy, no encoding.
 * Only a message to another node of a clustered event bus is written to bytes. Vert.x writes the
 * codec's name ({@code junction.<Record>}) in front of the body, and that name is the type tag; the
 * body is a form version byte, then the record as a {@code SHAPE}: a field count and each field in
 * declaration order. Every value starts with a tag byte: null, false, true, int, long, double,
 * string (UTF-8, also an enum constant by name), bytes (a {@code Buffer}, copied, never parsed),
 * JSON object or array (its UTF-8 text, parsed once on arrival), list, map, nested record, or one
 * record of a sealed family by simple name. Lengths and counts are four bytes, checked against what
 * is left before anything is allocated. The forms are derived from the records' declarations when
 * {@code Codecs} registers them; a record with a field type that has no form stops the start,
 * naming the field, and {@code CodecsTest} has a sample of every record.
 *
 * <p>Evolving a record across a rolling upgrade: append fields, never remove, reorder or retype
 * one, and add enum constants only once every node knows them. A node reading an older form gets the
 * missing fields as null, zero, false or empty; a node reading a newer form skips the fields it
 * does not know. Any other change raises the form version, which nodes of another version refuse.
 */
package dev.junction.bus;
