package io.maspush.gateway.delivery;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the gateway schedules and retries deliveries.
 *
 * @param maxAttempts calls to the push service after which a notification fails with
 * {@code attempts_exhausted}
 * @param initialBackoff the upper bound of the first retry delay; each delay is drawn at
 * random below its bound (full jitter), so that many failed messages do not return to the
 * push service at the same moment
 * @param backoffMultiplier how much the bound grows with each attempt
 * @param maxBackoff the largest retry delay bound
 * @param sweepInterval how often a dispatcher looks for due retries and for work a
 * stopped process left behind; new notifications do not wait for it
 * @param batchSize the most notifications one sweep claims per environment
 * @param claimLease how long a claim on a notification lasts; after it a crashed
 * process's notifications are taken by another. Must be longer than the push response
 * timeout
 * @param pauseProbeInterval while an environment is paused by a rejected key, how often
 * one notification is tried to find out whether the key works again
 * @param stallThreshold when notifications have been due this long and no attempt
 * started, liveness reports DOWN
 * @param shutdownGrace how long a stopping gateway waits for calls in flight before
 * leaving the rest queued
 * @param instanceId this process's name in claims; defaults to the host name and a random
 * suffix
 */
@ConfigurationProperties("gateway.delivery")
public record DeliveryProperties(@DefaultValue("12") int maxAttempts, @DefaultValue("1s") Duration initialBackoff,
        @DefaultValue("2.0") double backoffMultiplier, @DefaultValue("5m") Duration maxBackoff,
        @DefaultValue("1s") Duration sweepInterval, @DefaultValue("100") int batchSize,
        @DefaultValue("60s") Duration claimLease, @DefaultValue("60s") Duration pauseProbeInterval,
        @DefaultValue("5m") Duration stallThreshold, @DefaultValue("20s") Duration shutdownGrace, String instanceId) {

    public DeliveryProperties {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("gateway.delivery.max-attempts must be at least 1");
        }
        if (backoffMultiplier < 1.0) {
            throw new IllegalArgumentException("gateway.delivery.backoff-multiplier must be 1.0 or more");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("gateway.delivery.batch-size must be at least 1");
        }
        if (initialBackoff.isNegative() || maxBackoff.compareTo(initialBackoff) < 0) {
            throw new IllegalArgumentException(
                    "gateway.delivery.max-backoff must be at least gateway.delivery.initial-backoff");
        }
    }

}
