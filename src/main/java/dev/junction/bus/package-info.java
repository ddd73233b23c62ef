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
 *       result must never overtake the progress that came before it.</li>
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
 * </ul>
 */
package dev.junction.bus;
