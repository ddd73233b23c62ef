package dev.junction.bus;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.util.Base64URL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.junction.config.ConfigLoader;
import dev.junction.routing.Endpoint;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.security.GeneralSecurityException;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every bus message is written to bytes and read back equal; local delivery hands the record itself over. */
class CodecsTest {
  private static final Map<Class<?>, BusCodec<?>> CODECS = Codecs.codecs(Codecs.MESSAGES);
  /** Bytes before the message, as the clustered event bus writes its headers there. */
  private static final byte[] HEADERS = {9, 8, 7, 6, 5, 4, 3, 2, 1, 0, -1};

  /** A representative instance of each message, with every field set. */
  static List<BusMessage> samples() {
    JsonObject call = new JsonObject().put("jsonrpc", "2.0").put("id", 7).put("method", "tools/call")
        .put("params", new JsonObject().put("name", "read").put("arguments", new JsonObject()
            .put("path", "/tmp/ü € 😀").put("n", 1.5).put("big", Long.MAX_VALUE).put("none", (Object) null)
            .put("list", new JsonArray().add(1).addNull().add(true).add(new JsonObject()))));
    JsonObject result = new JsonObject().put("jsonrpc", "2.0").put("id", 7)
        .put("result", new JsonObject().put("content", new JsonArray().add(new JsonObject().put("type", "text"))));
    JsonObject progress = new JsonObject().put("jsonrpc", "2.0").put("method", "notifications/progress")
        .put("params", new JsonObject().put("progressToken", "p").put("progress", 0.5));
    return List.of(
        new RelayRequest(Endpoint.server("files").forTenant("acme"), "s-1", "t-hash", "2025-06-18", false, call,
            "junction.exchange.x#1", "subject-token", "a1b2c3"),
        new RelayReply(200, result, "s-2", 3),
        new RelayAnswer("junction.exchange.x#1", new RelayReply(200, result, null, 1)),
        new StreamEvent("junction.exchange.x#1", progress),
        new SessionCommand(SessionCommand.Kind.CANCEL_EXCHANGE, "s-1", "t-hash", "junction.exchange.x#2"),
        SessionReply.CONFLICT,
        new Credentials(Map.of("Authorization", "Bearer abc", "X-Api-Key", "k")),
        new CredentialsRequest("files", "t-hash", "subject-token"),
        new RefreshCredentials("files", "t-hash", "subject-token", "ab12", "Bearer resource_metadata=\"x\""),
        new CredentialsChanged("files", "t-hash"),
        new HealthChange("files", UpstreamState.DISCONNECTED, true, "files-backup"),
        new CallOutcome("files", false, true, "connection refused", true),
        new ProbeUpstream("files"),
        new ProbeResult(false, false, "timed out"),
        new ProcessSlot("files", true),
        new ProcessSlotReply(true),
        new ReadyQuery(),
        new Readiness(true, Map.of("files", "Healthy", "web", "Degraded")),
        new UpstreamsQuery(),
        new UpstreamsView(new JsonObject()
            .put("files", new JsonObject().put("state", "Healthy").put("circuit", "closed"))),
        new AdminQuery(),
        new PoolSnapshot(3, new JsonArray().add(new JsonObject().put("key", "ab").put("sessions", 2)),
            new JsonObject().put("files", new JsonArray().add("line 1").add("line 2"))),
        new GatewayStarted(),
        new DrainStarted(30_000, 5_000),
        new ConfigChanged(2, new ConfigLoader().parse("auth: {unauthenticated: allow}")),
        new ConfigApplied(2),
        new ReloadConfig("SIGHUP"),
        new ReloadReply(ReloadReply.REJECTED, 1, List.of("listen.port: must be 0..65535, got 70000"),
            List.of("shards")),
        new Heartbeat(),
        new MembersQuery(),
        new ClusterMembers("8f1c2d3e-0000-4000-8000-000000000001", List.of("8f1c2d3e-0000-4000-8000-000000000001",
            "8f1c2d3e-0000-4000-8000-000000000002"), List.of("8f1c2d3e-0000-4000-8000-000000000002")),
        new NodeLeaving("8f1c2d3e-0000-4000-8000-000000000002"),
        new DrainSessions(30_000),
        new DrainReply(2),
        new KeysQuery("kid-1"),
        new InboundKeys(keys()),
        new Introspect("opaque-token"),
        IntrospectReply.answered(true, new JsonObject().put("sub", "alice").put("aud", new JsonArray().add("a").add("b"))),
        IntrospectReply.unavailable(),
        CredentialsReply.granted(new Credentials(Map.of("Authorization", "Bearer abc"))),
        CredentialsReply.refused("the token endpoint answered 503"),
        new RelayRequest(Endpoint.server("files").forTenant("acme"), null, "t-hash", "2026-07-28", true, call,
            "junction.exchange.x#3", null, null, Map.of("Mcp-Param-Region", "us-west1", "Mcp-Param-Q", "=?base64?eA==?=")));
  }

  /** An RSA, an EC and an Ed25519 key, as an issuer's JWKS. */
  static KeySet keys() {
    try {
      KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
      rsa.initialize(2048);
      KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
      ec.initialize(new ECGenParameterSpec("secp256r1"));
      byte[] ed = KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPublic().getEncoded();
      Base64URL x = Base64URL.encode(Arrays.copyOfRange(ed, ed.length - 32, ed.length));
      JWKSet jwks = new JWKSet(List.of(
          new RSAKey.Builder((RSAPublicKey) rsa.generateKeyPair().getPublic()).keyID("r1")
              .algorithm(JWSAlgorithm.RS256).build(),
          new ECKey.Builder(Curve.P_256, (ECPublicKey) ec.generateKeyPair().getPublic()).keyID("e1").build(),
          new OctetKeyPair.Builder(Curve.Ed25519, x).algorithm(JWSAlgorithm.EdDSA).build()));
      KeySet keys = KeySet.parse(new JsonObject(jwks.toJSONObject(true)), 1_700_000_000_000L);
      assertThat(keys.size()).isEqualTo(3);
      return keys;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static Stream<Arguments> everySample() {
    return samples().stream().map(m -> Arguments.of(m.getClass().getSimpleName(), m));
  }

  @Test
  void everyMessageHasASampleHere() {
    Set<Class<?>> sampled = samples().stream().map(Object::getClass).collect(Collectors.toSet());
    assertThat(Codecs.MESSAGES).isNotEmpty().allSatisfy(type -> assertThat(sampled)
        .as("a sample of %s in CodecsTest.samples()", type.getSimpleName()).contains(type));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everySample")
  void readsBackWhatItWrote(String name, BusMessage message) {
    BusCodec<BusMessage> codec = codec(message);
    assertThat(roundTrip(codec, message, new byte[0])).isEqualTo(message);
    BusMessage decoded = roundTrip(codec, message, HEADERS);
    assertThat(decoded).isEqualTo(message).hasSameHashCodeAs(message);
    if (message.getClass().getRecordComponents().length > 0) {
      assertThat(decoded).isNotSameAs(message);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("everySample")
  void localDeliveryHandsTheRecordItselfOver(String name, BusMessage message) {
    assertThat(codec(message).transform(message)).isSameAs(message);
    assertThat(codec(message).name()).isEqualTo("junction." + name);
    assertThat(codec(message).systemCodecID()).isEqualTo((byte) -1);
  }

  /** Equality means something for the fields that hold JSON or keys: a different body is a different message. */
  @Test
  void aChangedBodyIsNotEqual() {
    RelayReply reply = (RelayReply) samples().get(1);
    RelayReply decoded = roundTrip(codec(reply), reply, HEADERS);
    decoded.body().getJsonObject("result").put("isError", true);
    assertThat(decoded).isNotEqualTo(reply);
    InboundKeys other = new InboundKeys(keys());
    assertThat(other).isNotEqualTo(samples().stream().filter(InboundKeys.class::isInstance).findFirst().orElseThrow());
  }

  /** Each message with every field that may be null set to null (records that refuse nulls are left out). */
  @Test
  void nullFieldsStayNull() throws Exception {
    List<String> tried = new ArrayList<>();
    for (Class<?> type : Codecs.MESSAGES) {
      BusMessage message = withNulls(type);
      if (message != null) {
        assertThat(roundTrip(codec(message), message, HEADERS)).as(type.getSimpleName()).isEqualTo(message);
        tried.add(type.getSimpleName());
      }
    }
    assertThat(tried).contains("RelayRequest", "RelayReply", "StreamEvent", "SessionCommand", "HealthChange",
        "InboundKeys", "IntrospectReply", "PoolSnapshot", "RefreshCredentials", "KeysQuery");
    for (BusMessage m : List.of(RelayReply.accepted(), new CredentialsChanged("files", null), new KeysQuery(null),
        new InboundKeys(KeySet.EMPTY), new Readiness(false, Map.of()), new Credentials(Map.of()))) {
      assertThat(roundTrip(codec(m), m, HEADERS)).isEqualTo(m);
    }
  }

  private static BusMessage withNulls(Class<?> type) throws ReflectiveOperationException {
    RecordComponent[] components = type.getRecordComponents();
    Class<?>[] parameters = new Class<?>[components.length];
    Object[] values = new Object[components.length];
    boolean any = false;
    for (int i = 0; i < components.length; i++) {
      parameters[i] = components[i].getType();
      values[i] = zero(parameters[i]);
      any |= !parameters[i].isPrimitive();
    }
    if (!any) {
      return null;
    }
    Constructor<?> constructor = type.getDeclaredConstructor(parameters);
    try {
      return (BusMessage) constructor.newInstance(values);
    } catch (InvocationTargetException refused) {
      return null;
    }
  }

  private static Object zero(Class<?> type) {
    if (type == int.class) {
      return 0;
    }
    if (type == long.class) {
      return 0L;
    }
    if (type == boolean.class) {
      return false;
    }
    if (type.isPrimitive()) {
      throw new IllegalArgumentException("add a zero for " + type);
    }
    return null;
  }

  @Test
  void aLargePayloadGoesThroughWhole() {
    StringBuilder text = new StringBuilder();
    while (text.length() < 4 << 20) {
      text.append("line ").append(text.length()).append(" ü€😀 \"quoted\" \\ \n");
    }
    JsonArray numbers = new JsonArray();
    for (int i = 0; i < 100_000; i++) {
      numbers.add(i % 3 == 0 ? i * 1.5 : i);
    }
    JsonObject message = new JsonObject().put("jsonrpc", "2.0").put("id", "x").put("method", "tools/call")
        .put("params", new JsonObject().put("name", "write")
            .put("arguments", new JsonObject().put("text", text.toString()).put("numbers", numbers)));
    RelayRequest request = new RelayRequest(Endpoint.AGGREGATE, "s", "t", "2025-11-25", false, message, "e#1", null,
        null);
    Buffer wire = Buffer.buffer().appendBytes(HEADERS);
    codec(request).encodeToWire(wire, request);
    int json = message.toBuffer().length();
    assertThat(wire.length() - HEADERS.length).isBetween(json, json + 120);
    assertThat(codec(request).decodeFromWire(HEADERS.length, wire)).isEqualTo(request);
    StreamEvent event = new StreamEvent("e#1", message);
    assertThat(roundTrip(codec(event), event, HEADERS)).isEqualTo(event);
  }

  @Test
  void aMessageThatCannotBeWrittenStopsTheRegistrationNamingEveryField() {
    assertThatThrownBy(() -> Codecs.codecs(List.<Class<?>>of(Fine.class, When.class, Anything.class, NotARecord.class)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("CodecsTest.When.at: java.time.Instant")
        .hasMessageContaining("CodecsTest.Anything.things[]: java.lang.Object")
        .hasMessageContaining("CodecsTest.NotARecord");
    assertThat(Codecs.codecs(List.<Class<?>>of(Fine.class))).containsOnlyKeys(Fine.class);
  }

  @Test
  void anotherFormVersionIsRefused() {
    BusCodec<BusMessage> codec = codec(new ProbeUpstream("files"));
    Buffer wire = Buffer.buffer().appendBytes(HEADERS);
    codec.encodeToWire(wire, new ProbeUpstream("files"));
    wire.setByte(HEADERS.length, (byte) 2);
    assertThatThrownBy(() -> codec.decodeFromWire(HEADERS.length, wire))
        .hasMessageContaining("junction.ProbeUpstream: byte form version 2");
  }

  @Test
  void cutBytesFailInsteadOfReadingGarbage() {
    BusMessage request = samples().get(0);
    Buffer wire = Buffer.buffer().appendBytes(HEADERS);
    codec(request).encodeToWire(wire, request);
    for (int cut = 1; cut < wire.length() - HEADERS.length; cut += 7) {
      Buffer shorter = wire.getBuffer(0, wire.length() - cut);
      assertThatThrownBy(() -> codec(request).decodeFromWire(HEADERS.length, shorter))
          .isInstanceOfAny(IllegalArgumentException.class, IndexOutOfBoundsException.class,
              DecodeException.class);
    }
  }

  /** A record whose fields all have a form. */
  record Fine(String s, Map<String, List<Integer>> m) implements Marker {
  }

  /** A field type with no form. */
  record When(Instant at) implements Marker {
  }

  /** A list of anything has no form. */
  record Anything(List<Object> things) implements Marker {
  }

  /** Not a record. */
  static final class NotARecord implements Marker {
  }

  /** Test-only messages. */
  interface Marker {
  }

  @SuppressWarnings("unchecked")
  private static <T> BusCodec<T> codec(T message) {
    return (BusCodec<T>) CODECS.get(message.getClass());
  }

  /** Encodes after {@code headers} and some bytes after it, then decodes from where the message starts. */
  static <T> T roundTrip(MessageCodec<T, T> codec, T message, byte[] headers) {
    Buffer wire = Buffer.buffer().appendBytes(headers);
    codec.encodeToWire(wire, message);
    wire.appendString("trailing bytes of the next frame");
    return codec.decodeFromWire(headers.length, wire);
  }
}
