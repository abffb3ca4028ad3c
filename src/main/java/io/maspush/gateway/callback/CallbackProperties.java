package io.maspush.gateway.callback;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How status callbacks are sent and retried, under {@code gateway.callbacks}.
 *
 * @param maxAttempts POSTs after which a callback is given up and counted as failed
 * @param initialBackoff the upper bound of the first retry delay; each delay is drawn at
 * random below its bound, as for deliveries
 * @param backoffMultiplier how much the bound grows with each attempt
 * @param maxBackoff the largest retry delay bound
 * @param connectTimeout how long to wait for a connection to the receiver
 * @param responseTimeout how long to wait for the receiver's answer
 * @param maxConcurrentCalls callbacks under way at once, across all clients; they run
 * apart from deliveries, so a slow receiver never holds up a notification
 * @param maxConcurrentCallsPerClient callbacks of one client under way at once, so that
 * one client's slow receiver cannot take every slot from the others
 * @param sweepInterval how often due retries and callbacks that another process left
 * behind are claimed; a new callback does not wait for it
 * @param batchSize the most callbacks one sweep claims
 * @param claimLease how long a claim on a callback lasts before another process may take
 * it; must be longer than the response timeout
 */
@ConfigurationProperties("gateway.callbacks")
public record CallbackProperties(@DefaultValue("10") int maxAttempts, @DefaultValue("1s") Duration initialBackoff,
        @DefaultValue("2.0") double backoffMultiplier, @DefaultValue("10m") Duration maxBackoff,
        @DefaultValue("2s") Duration connectTimeout, @DefaultValue("5s") Duration responseTimeout,
        @DefaultValue("16") int maxConcurrentCalls, @DefaultValue("4") int maxConcurrentCallsPerClient,
        @DefaultValue("1s") Duration sweepInterval, @DefaultValue("100") int batchSize,
        @DefaultValue("60s") Duration claimLease) {

    public CallbackProperties {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("gateway.callbacks.max-attempts must be at least 1");
        }
        if (backoffMultiplier < 1.0) {
            throw new IllegalArgumentException("gateway.callbacks.backoff-multiplier must be 1.0 or more");
        }
        if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException(
                    "gateway.callbacks.max-backoff must be at least gateway.callbacks.initial-backoff");
        }
        if (maxConcurrentCalls < 1 || maxConcurrentCallsPerClient < 1 || batchSize < 1) {
            throw new IllegalArgumentException("gateway.callbacks.max-concurrent-calls, max-concurrent-calls-per-client"
                    + " and batch-size must be at least 1");
        }
        if (claimLease.compareTo(connectTimeout.plus(responseTimeout)) <= 0) {
            throw new IllegalArgumentException("gateway.callbacks.claim-lease must be longer than"
                    + " gateway.callbacks.connect-timeout and response-timeout together, or a slow callback would be"
                    + " claimed again while it is still being sent");
        }
    }

}
