package io.maspush.gateway.delivery;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with full jitter: the delay before retry {@code n} is drawn
 * uniformly from zero to {@code min(max, initial * multiplier^(n-1))}. Spreading retries
 * over the whole interval keeps a burst of failures from coming back as a burst.
 */
public final class Backoff {

    private final Duration initial;

    private final double multiplier;

    private final Duration max;

    public Backoff(Duration initial, double multiplier, Duration max) {
        this.initial = initial;
        this.multiplier = multiplier;
        this.max = max;
    }

    Duration bound(int attempt) {
        double bound = this.initial.toMillis() * Math.pow(this.multiplier, Math.max(0, attempt - 1));
        return Duration.ofMillis((long) Math.min(bound, this.max.toMillis()));
    }

    public Duration delayAfter(int attempt) {
        long bound = bound(attempt).toMillis();
        return Duration.ofMillis((bound > 0) ? ThreadLocalRandom.current().nextLong(bound + 1) : 0);
    }

}
