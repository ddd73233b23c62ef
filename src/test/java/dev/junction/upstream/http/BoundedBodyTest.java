package dev.junction.upstream.http;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BoundedBodyTest {

  @Test
  void aCountIsOneToEighteenDigits() {
    assertThat(BoundedBody.isCount("0")).isTrue();
    assertThat(BoundedBody.isCount("123456789012345678")).isTrue();
    assertThat(BoundedBody.isCount("")).isFalse();
    assertThat(BoundedBody.isCount("1234567890123456789")).isFalse();
    assertThat(BoundedBody.isCount("-1")).isFalse();
    assertThat(BoundedBody.isCount("12a")).isFalse();
    assertThat(BoundedBody.isCount(" 12")).isFalse();
    assertThat(BoundedBody.isCount("١٢")).isFalse(); // Arabic-Indic digits are no count
  }
}
