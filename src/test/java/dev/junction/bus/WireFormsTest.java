package dev.junction.bus;

import static dev.junction.bus.CodecsTest.roundTrip;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The derived byte forms for every kind of field a record may hold, and how forms evolve: fields are
 * appended, and a node reads what an older or a newer node wrote.
 */
class WireFormsTest {
  private static final byte[] HEADERS = {1, 2, 3};

  enum Color { RED, GREEN }

  sealed interface Shape permits Circle, Square, Shapes {
  }

  record Circle(double radius) implements Shape {
  }

  record Square(long side, Optional<String> label) implements Shape {
  }

  /** A sealed sub-family. */
  sealed interface Shapes extends Shape permits Group {
  }

  record Group(List<Shape> members) implements Shapes {
  }

  record Everything(int i, long l, double d, boolean b, Integer boxedInt, Long boxedLong, Double boxedDouble,
      Boolean boxedBoolean, String s, Color color, JsonObject object, JsonArray array, Buffer bytes,
      List<String> names, List<Shape> shapes, Map<String, Integer> counts, Map<Color, List<Circle>> byColor,
      Optional<Buffer> maybe, Shape one, Circle circle) {
  }

  /** An older form of {@link Newer}. */
  record Older(String name, int count) {
  }

  /** {@link Older} with fields appended. */
  record Newer(String name, int count, List<Square> squares, JsonObject extra, boolean flag, Map<String, String> map,
      Optional<String> note, Shape shape) {
  }

  record Tree(String name, List<Tree> children) {
  }

  private static <T> BusCodec<T> codec(Class<T> type) {
    return new BusCodec<>(type, new WireForms().of(type, type.getSimpleName()));
  }

  @Test
  void everyKindOfFieldReadsBackEqual() {
    Map<Color, List<Circle>> byColor = new LinkedHashMap<>();
    byColor.put(Color.GREEN, List.of(new Circle(1), new Circle(2.5)));
    byColor.put(Color.RED, Arrays.asList(new Circle(-0.0), null));
    Everything all = new Everything(-1, Long.MIN_VALUE, Double.NaN, true, Integer.MAX_VALUE, 5L, 1e-300, false,
        "ü€😀", Color.GREEN, new JsonObject().put("a", new JsonArray().add(1)), new JsonArray().addNull().add("x"),
        Buffer.buffer(new byte[] {0, -1, 127, -128, '{'}), Arrays.asList("a", null, ""),
        List.of(new Circle(3), new Square(4, Optional.of("four")), new Group(List.of(new Square(1, Optional.empty())))),
        Map.of("k", 1), byColor, Optional.of(Buffer.buffer("raw, not JSON: {")), new Group(List.of()), new Circle(7));
    Everything read = roundTrip(codec(Everything.class), all, HEADERS);
    assertThat(read).isEqualTo(all);
    assertThat(List.copyOf(read.byColor().keySet())).containsExactly(Color.GREEN, Color.RED);
  }

  @Test
  void nullsAndEmptiesReadBack() {
    Everything none = new Everything(0, 0, 0, false, null, null, null, null, null, null, null, null, null, null, null,
        null, null, Optional.empty(), null, null);
    assertThat(roundTrip(codec(Everything.class), none, HEADERS)).isEqualTo(none);
    Everything empty = new Everything(0, 0, 0, false, 0, 0L, 0.0, false, "", Color.RED, new JsonObject(),
        new JsonArray(), Buffer.buffer(), List.of(), List.of(), Map.of(), Map.of(), Optional.of(Buffer.buffer()),
        new Group(List.of()), new Circle(0));
    assertThat(roundTrip(codec(Everything.class), empty, HEADERS)).isEqualTo(empty);
  }

  @Test
  void aNewerNodeReadsAnOlderFormWithTheNewFieldsAbsent() {
    Buffer wire = Buffer.buffer().appendBytes(HEADERS);
    codec(Older.class).encodeToWire(wire, new Older("a", 3));
    assertThat(codec(Newer.class).decodeFromWire(HEADERS.length, wire))
        .isEqualTo(new Newer("a", 3, List.of(), null, false, Map.of(), Optional.empty(), null));
  }

  @Test
  void anOlderNodeSkipsTheFieldsItDoesNotKnow() {
    Newer newer = new Newer("a", 3, List.of(new Square(2, Optional.of("x"))), new JsonObject().put("k", "v"), true,
        Map.of("h", "v"), Optional.of("note"), new Group(List.of(new Circle(1), new Square(2, Optional.empty()))));
    Buffer wire = Buffer.buffer().appendBytes(HEADERS);
    codec(Newer.class).encodeToWire(wire, newer);
    assertThat(codec(Older.class).decodeFromWire(HEADERS.length, wire)).isEqualTo(new Older("a", 3));
    // the same inside a list: skipping must land exactly on the next element
    record Olders(List<Older> all, String after) {
    }
    record Newers(List<Newer> all, String after) {
    }
    Buffer list = Buffer.buffer().appendBytes(HEADERS);
    codec(Newers.class).encodeToWire(list, new Newers(List.of(newer, newer), "end"));
    assertThat(codec(Olders.class).decodeFromWire(HEADERS.length, list))
        .isEqualTo(new Olders(List.of(new Older("a", 3), new Older("a", 3)), "end"));
  }

  @Test
  void aFieldOfAnotherTypeIsRefused() {
    record Text(String value) {
    }
    record Number(int value) {
    }
    Buffer wire = Buffer.buffer();
    codec(Text.class).encodeToWire(wire, new Text("1"));
    assertThatThrownBy(() -> codec(Number.class).decodeFromWire(0, wire)).isInstanceOf(IllegalArgumentException.class);
    record Nothing(String value) {
    }
    Buffer nulls = Buffer.buffer();
    codec(Nothing.class).encodeToWire(nulls, new Nothing(null));
    assertThatThrownBy(() -> codec(Number.class).decodeFromWire(0, nulls))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aLengthPastTheEndIsRefusedBeforeAnythingIsAllocated() {
    record Names(List<String> names) {
    }
    Buffer wire = Buffer.buffer();
    codec(Names.class).encodeToWire(wire, new Names(List.of("a")));
    wire.setInt(4, Integer.MAX_VALUE); // version, SHAPE, field count, LIST, then the count
    assertThatThrownBy(() -> codec(Names.class).decodeFromWire(0, wire)).hasMessageContaining("bad length");
  }

  @Test
  void aRecordThatContainsItselfReadsBack() {
    Tree tree = new Tree("root", List.of(new Tree("a", List.of()), new Tree("b", List.of(new Tree("c", null)))));
    assertThat(roundTrip(codec(Tree.class), tree, HEADERS)).isEqualTo(tree);
  }
}
