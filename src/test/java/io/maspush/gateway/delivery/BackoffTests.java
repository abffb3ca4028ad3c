package io.maspush.gateway.delivery;

import java.time.Duration;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BackoffTests {

    private final Backoff backoff = new Backoff(Duration.ofSeconds(1), 2.0, Duration.ofMinutes(5));

    @Test
    void boundDoublesFromTheInitialDelayUpToTheCap() {
        assertThat(this.backoff.bound(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(this.backoff.bound(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(this.backoff.bound(5)).isEqualTo(Duration.ofSeconds(16));
        assertThat(this.backoff.bound(9)).isEqualTo(Duration.ofSeconds(256));
        assertThat(this.backoff.bound(10)).isEqualTo(Duration.ofMinutes(5));
        assertThat(this.backoff.bound(60)).isEqualTo(Duration.ofMinutes(5));
    }

    @RepeatedTest(20)
    void delayIsDrawnBetweenZeroAndTheBound() {
        for (int attempt = 1; attempt <= 12; attempt++) {
            assertThat(this.backoff.delayAfter(attempt)).isBetween(Duration.ZERO, this.backoff.bound(attempt));
        }
    }

    @Test
    void delaysAreSpreadOverTheWholeIntervalNotBunchedAtTheBound() {
        long below = 0;
        for (int i = 0; i < 1000; i++) {
            if (this.backoff.delayAfter(4).compareTo(Duration.ofSeconds(4)) < 0) {
                below++;
            }
        }
        assertThat(below).as("about half of the draws fall below half of the 8 s bound").isBetween(350L, 650L);
    }

}
