package dev.junction.upstream.sse;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Fuzzes the upstream SSE parser through its public API only ({@code new SseParser(handler)} and
 * {@code handle(Buffer)}), with what must hold for any correct parser of a {@code text/event-stream}
 * body: nothing is thrown, every event has a type and non-null data, and the events do not depend on
 * how the bytes are cut into chunks (whole, one byte at a time, or at random places chosen from the
 * input itself, so a finding replays the same way). Seeds and past findings:
 * {@code src/test/resources/dev/junction/upstream/sse/SseParserFuzzTestInputs/stream}.
 */
class SseParserFuzzTest {
  @FuzzTest(maxDuration = "10s")
  // no CR or LF here: Jazzer 0.30 writes them into its dictionary file unescaped; the seeds carry them
  @DictionaryEntries({"data:", "data: ", "event:", "event: message", "id:", "id: 1", "retry: 10", ":", "\uFEFF",
      "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{}}"})
  void stream(byte[] input) {
    List<SseParser.Event> whole = parse(input, List.of(input.length));
    List<Integer> single = new ArrayList<>();
    for (int i = 0; i < input.length; i++) {
      single.add(1);
    }
    List<Integer> random = new ArrayList<>();
    Random cuts = new Random(Arrays.hashCode(input));
    for (int left = input.length; left > 0; ) {
      int n = Math.min(left, 1 + cuts.nextInt(8));
      random.add(n);
      left -= n;
    }
    for (SseParser.Event e : whole) {
      assertThat(e).isNotNull();
      assertThat(e.data()).isNotNull();
      assertThat(e.event()).isNotNull().isNotEmpty();
      assertThat(e.data()).as("line ends never reach the data").doesNotContain("\r");
    }
    assertThat(parse(input, single)).as("fed one byte at a time").isEqualTo(whole);
    assertThat(parse(input, random)).as("fed in chunks of " + random).isEqualTo(whole);
  }

  private static List<SseParser.Event> parse(byte[] input, List<Integer> chunks) {
    List<SseParser.Event> events = new ArrayList<>();
    SseParser parser = new SseParser(events::add);
    int at = 0;
    for (int n : chunks) {
      parser.handle(Buffer.buffer(Arrays.copyOfRange(input, at, at + n)));
      at += n;
    }
    return events;
  }
}
