package io.maspush.gateway.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.maspush.gateway.environment.PushEnvironment;
import io.maspush.gateway.notification.Notification;
import io.maspush.gateway.notification.NotificationStatus;
import io.maspush.gateway.push.PushClient;
import io.maspush.gateway.push.PushOutcome;
import io.maspush.gateway.push.RelayReply;
import io.maspush.gateway.push.RelayedBody;
import io.maspush.gateway.relay.RelayProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Relays a message synchronously: calls the push service through the same gate, circuit
 * breaker and rate limiter as the dispatcher, retries retryable outcomes while the
 * deadline allows, and counts everything in the same metrics under {@code api="relay"}.
 */
@Component
public class RelayCalls {

    private static final Logger logger = LoggerFactory.getLogger(RelayCalls.class);

    private static final String API = Notification.RELAY_API;

    private final EnvironmentGates gates;

    private final ResilienceRegistries resilience;

    private final PushClient pushClient;

    private final DeliveryMetrics metrics;

    private final DeliveryProperties properties;

    private final RelayConcurrency concurrency;

    private final Duration deadline;

    private final Clock clock;

    private final Backoff backoff = new Backoff(Duration.ofMillis(200), 2.0, Duration.ofSeconds(2));

    RelayCalls(EnvironmentGates gates, ResilienceRegistries resilience, PushClient pushClient, DeliveryMetrics metrics,
            DeliveryProperties properties, RelayConcurrency concurrency, RelayProperties relay, Clock clock) {
        this.concurrency = concurrency;
        this.deadline = relay.deadline();
        this.gates = gates;
        this.resilience = resilience;
        this.pushClient = pushClient;
        this.metrics = metrics;
        this.properties = properties;
        this.clock = clock;
    }

    /**
     * Relay one body, waiting within the deadline for a turn if the environment already
     * has {@code gateway.relay.max-concurrent-calls} relayed calls under way.
     * @param environment the caller's environment
     * @param clientId the caller, for the metrics
     * @param body the body without the caller's key
     * @return how it ended
     */
    public RelayResult relay(PushEnvironment environment, String clientId, RelayedBody body) {
        Instant started = this.clock.instant();
        this.metrics.accepted(environment.name(), clientId, null, API);
        if (!this.concurrency.acquire(environment.name(), this.deadline)) {
            this.metrics.completed(environment.name(), API, NotificationStatus.FAILED, "refused");
            return new RelayResult.Refused(this.concurrency.limit() + " relayed messages for environment "
                    + environment.name() + " were already under way for the whole deadline of "
                    + this.deadline.toMillis() + " ms (gateway.relay.max-concurrent-calls)", Duration.ofSeconds(1));
        }
        try {
            return relayWithRetries(environment, clientId, body, started);
        }
        finally {
            this.concurrency.release(environment.name());
        }
    }

    private RelayResult relayWithRetries(PushEnvironment environment, String clientId, RelayedBody body,
            Instant started) {
        Instant giveUpAt = started.plus(this.deadline);
        String idempotencyKey = UUID.randomUUID().toString();
        int attempts = 0;
        while (true) {
            Instant now = this.clock.instant();
            RelayResult.Refused refusal = refusal(environment, now);
            if (refusal != null) {
                this.metrics.completed(environment.name(), API, NotificationStatus.FAILED, "refused");
                return refusal;
            }
            RelayReply reply = call(environment, body, idempotencyKey);
            PushOutcome outcome = reply.outcome();
            attempts++;
            now = this.clock.instant();
            RelayResult result = classify(environment, reply, now, started);
            if (result != null) {
                return result;
            }
            Duration delay = this.backoff.delayAfter(attempts);
            if (outcome.retryAfter() != null && outcome.retryAfter().compareTo(delay) > 0) {
                delay = outcome.retryAfter();
            }
            if (!now.plus(delay).isBefore(giveUpAt) || attempts >= this.properties.maxAttempts()) {
                this.metrics.completed(environment.name(), API, NotificationStatus.FAILED, "attempts_exhausted");
                logger.info("Relayed message of client {} not delivered in environment {} after {} attempt(s): {}",
                        clientId, environment.name(), attempts, outcome.detail());
                return reply.answered() ? new RelayResult.Answered(reply) : new RelayResult.Unanswered(outcome);
            }
            sleep(delay);
        }
    }

    private RelayResult.Refused refusal(PushEnvironment environment, Instant now) {
        String name = environment.name();
        if (!environment.settings().isConfigured()) {
            return new RelayResult.Refused("environment " + name + " has no API key; an administrator sets it with"
                    + " GATEWAY_PUSH_API_KEY or the admin API", Duration.ofSeconds(60));
        }
        EnvironmentGate gate = this.gates.get(name);
        if (gate.isHeldAt(now)) {
            return new RelayResult.Refused(
                    "the push service asked the gateway to wait before sending more for" + " environment " + name,
                    Duration.between(now, gate.heldUntil()));
        }
        if (gate.isPaused() && !gate.claimProbe(now, this.properties.pauseProbeInterval())) {
            return new RelayResult.Refused(
                    "deliveries for environment " + name + " are paused: " + gate.pause().reason(),
                    this.properties.pauseProbeInterval());
        }
        return null;
    }

    private RelayReply call(PushEnvironment environment, RelayedBody body, String idempotencyKey) {
        String name = environment.name();
        CircuitBreaker breaker = this.resilience.circuitBreaker(name);
        if (!breaker.tryAcquirePermission()) {
            this.metrics.attempt(name, API, "circuit_open");
            return new RelayReply(
                    new PushOutcome(PushOutcome.Type.RETRYABLE, 0,
                            "the circuit breaker for environment " + name
                                    + " is open after repeated failures of the push service",
                            null),
                    null, null, new byte[0]);
        }
        RateLimiter limiter = this.resilience.rateLimiter(environment);
        if (limiter != null && !limiter.acquirePermission()) {
            breaker.releasePermission();
            return new RelayReply(new PushOutcome(PushOutcome.Type.RETRYABLE, 0,
                    "over the outbound rate limit of environment " + name, null), null, null, new byte[0]);
        }
        this.gates.get(name).attemptStarted(this.clock.instant());
        long startNanos = System.nanoTime();
        RelayReply reply = this.pushClient.forward(environment, body, idempotencyKey);
        Duration took = Duration.ofNanos(System.nanoTime() - startNanos);
        DeliveryWorker.recordInBreaker(breaker, reply.outcome(), took);
        this.metrics.upstreamCall(name, API, reply.outcome(), took);
        return reply;
    }

    /**
     * What a finished attempt means for the relay: a final result, or {@code null} to try
     * again. A refusal by the breaker or the rate limiter before any call is final at
     * once, as a refusal the caller can retry later.
     */
    private RelayResult classify(PushEnvironment environment, RelayReply reply, Instant now, Instant started) {
        String name = environment.name();
        PushOutcome outcome = reply.outcome();
        EnvironmentGate gate = this.gates.get(name);
        switch (outcome.type()) {
            case DELIVERED -> {
                this.metrics.delivered(name, API, Duration.between(started, now));
                this.metrics.completed(name, API, NotificationStatus.DELIVERED, "delivered");
                if (gate.isPaused()) {
                    this.gates.resume(name, "the push service accepted the API key again");
                }
                return new RelayResult.Answered(reply);
            }
            case PERMANENT -> {
                this.metrics.completed(name, API, NotificationStatus.FAILED, "rejected");
                return new RelayResult.Answered(reply);
            }
            case KEY_REJECTED -> {
                String reason = outcome.detail() + "; deliveries for environment " + name
                        + " are paused until the API key is replaced";
                if (gate.pause(reason, now)) {
                    logger.warn("Deliveries for environment {} paused: {}", name, outcome.detail());
                }
                this.metrics.completed(name, API, NotificationStatus.FAILED, "rejected");
                return new RelayResult.Answered(reply);
            }
            default -> {
                if (!reply.answered() && outcome.type() == PushOutcome.Type.RETRYABLE) {
                    this.metrics.completed(name, API, NotificationStatus.FAILED, "refused");
                    return new RelayResult.Refused(outcome.detail(), refusalRetryAfter(name));
                }
                if (outcome.holdsEnvironment() && gate.holdUntil(now.plus(outcome.retryAfter()))) {
                    logger.warn("Deliveries for environment {} held for {} s as the push service asked (HTTP {})", name,
                            outcome.retryAfter().toSeconds(), outcome.upstreamStatus());
                }
                return null;
            }
        }
    }

    private Duration refusalRetryAfter(String environment) {
        CircuitBreaker breaker = this.resilience.circuitBreaker(environment);
        if (breaker.getState() == CircuitBreaker.State.OPEN) {
            return Duration
                .ofMillis(breaker.getCircuitBreakerConfig().getWaitIntervalFunctionInOpenState().apply(1).longValue());
        }
        return Duration.ofSeconds(1);
    }

    private static void sleep(Duration delay) {
        try {
            Thread.sleep(delay.toMillis());
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting to retry a relayed message", ex);
        }
    }

}
