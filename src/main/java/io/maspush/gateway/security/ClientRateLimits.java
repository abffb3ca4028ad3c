package io.maspush.gateway.security;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import io.maspush.gateway.security.SecurityProperties.RateLimit;

import org.springframework.stereotype.Component;

/**
 * One token bucket per client, so that a runaway sender is slowed down without touching
 * anyone else.
 */
@Component
class ClientRateLimits {

    /**
     * Buckets of clients known only from their tokens (JWT callers) are dropped past this
     * many.
     */
    private static final int MAX_BUCKETS = 10_000;

    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    private final RateLimit defaults;

    private final Map<String, RateLimit> overrides = new ConcurrentHashMap<>();

    ClientRateLimits(SecurityProperties security, ClientProperties clients) {
        this.defaults = security.rateLimit();
        clients.clients()
            .stream()
            .filter((client) -> client.rateLimit() != null)
            .forEach((client) -> this.overrides.put(client.id(), client.rateLimit()));
    }

    /**
     * Take one request from a client's bucket.
     * @param clientId the client
     * @return {@code null} when the request may go ahead, otherwise how long until it
     * could
     */
    Duration tryConsume(String clientId) {
        if (this.buckets.size() > MAX_BUCKETS) {
            this.buckets.clear();
        }
        ConsumptionProbe probe = this.buckets.computeIfAbsent(clientId, this::newBucket)
            .tryConsumeAndReturnRemaining(1);
        return probe.isConsumed() ? null : Duration.ofNanos(probe.getNanosToWaitForRefill());
    }

    private Bucket newBucket(String clientId) {
        RateLimit limit = this.overrides.getOrDefault(clientId, this.defaults);
        return Bucket.builder()
            .addLimit(Bandwidth.builder()
                .capacity(limit.burst())
                .refillGreedy(limit.requestsPerSecond(), Duration.ofSeconds(1))
                .build())
            .build();
    }

}
