package io.maspush.gateway.delivery;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import io.maspush.gateway.relay.RelayProperties;

import org.springframework.stereotype.Component;

/**
 * Bounds the relayed calls under way per environment, apart from the dispatcher's
 * bulkhead: a relayed request waits for its turn within its deadline instead of being
 * refused the moment queued deliveries fill the bulkhead, and queued deliveries never
 * wait behind a burst of relays.
 */
@Component
class RelayConcurrency {

    private final Map<String, Semaphore> permits = new ConcurrentHashMap<>();

    private final int limit;

    RelayConcurrency(RelayProperties properties) {
        this.limit = properties.maxConcurrentCalls();
    }

    /**
     * Wait for a turn to call the push service.
     * @param environment the environment
     * @param wait how long to wait at most
     * @return whether the turn was given; it must then be handed back with
     * {@link #release(String)}
     */
    boolean acquire(String environment, Duration wait) {
        try {
            return permitsOf(environment).tryAcquire(Math.max(0, wait.toNanos()), TimeUnit.NANOSECONDS);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    void release(String environment) {
        permitsOf(environment).release();
    }

    /**
     * Relayed calls under way.
     * @param environment the environment
     * @return how many
     */
    int inFlight(String environment) {
        return this.limit - permitsOf(environment).availablePermits();
    }

    int limit() {
        return this.limit;
    }

    private Semaphore permitsOf(String environment) {
        return this.permits.computeIfAbsent(environment, (name) -> new Semaphore(this.limit));
    }

}
