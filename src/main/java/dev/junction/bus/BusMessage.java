package dev.junction.bus;

/**
 * Every message that crosses the event bus: a closed family of immutable records, all in this
 * package, so the codecs register themselves from it ({@link Codecs}) and none can be forgotten.
 * Local delivery hands a record over by reference.
 */
public sealed interface BusMessage permits RelayRequest, SessionCommand, RelayReply, RelayAnswer, StreamEvent,
    Credentials, CredentialsRequest, HealthChange, ReadyQuery, Readiness, GatewayStarted,
    CallOutcome, ProbeUpstream, ProbeResult, ProcessSlot, UpstreamsQuery,
    UpstreamsView, PoolSnapshot, AdminQuery, CredentialsChanged, Heartbeat,
    KeysQuery, InboundKeys, Introspect, IntrospectReply, RefreshCredentials,
    SessionReply, ProcessSlotReply, CredentialsReply, DrainStarted,
    ClusterMembers, MembersQuery, NodeLeaving, DrainSessions, DrainReply,
    ConfigChanged, ConfigApplied, ReloadConfig, ReloadReply {
}
