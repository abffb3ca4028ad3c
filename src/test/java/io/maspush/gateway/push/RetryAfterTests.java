package io.maspush.gateway.push;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RetryAfterTests {

    private final Clock clock = Clock.fixed(Instant.parse("2026-12-03T10:00:00Z"), ZoneOffset.UTC);

    @Test
    void readsSeconds() {
        assertThat(RetryAfter.parse("120", this.clock)).isEqualTo(Duration.ofMinutes(2));
        assertThat(RetryAfter.parse(" 0 ", this.clock)).isEqualTo(Duration.ZERO);
    }

    @Test
    void readsAnHttpDateRelativeToNow() {
        assertThat(RetryAfter.parse("Thu, 03 Dec 2026 10:00:30 GMT", this.clock)).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void treatsADateInThePastAsNoWait() {
        assertThat(RetryAfter.parse("Thu, 03 Dec 2026 09:00:00 GMT", this.clock)).isEqualTo(Duration.ZERO);
    }

    @Test
    void ignoresAbsentOrUnreadableValues() {
        assertThat(RetryAfter.parse(null, this.clock)).isNull();
        assertThat(RetryAfter.parse("", this.clock)).isNull();
        assertThat(RetryAfter.parse("soon", this.clock)).isNull();
        assertThat(RetryAfter.parse("-5", this.clock)).isNull();
        assertThat(RetryAfter.parse("99999999999999999999", this.clock)).isNull();
    }

    @Test
    void capsAbsurdlyLongWaitsAtSixHours() {
        assertThat(RetryAfter.parse("9999999", this.clock)).isEqualTo(Duration.ofHours(6));
    }

}
