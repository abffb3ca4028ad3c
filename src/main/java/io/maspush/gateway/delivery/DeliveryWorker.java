package io.maspush.gateway.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.maspush.gateway.environment.PushEnvironment;
import io.maspush.gateway.environment.PushEnvironments;
import io.maspush.gateway.notification.Notification;
import io.maspush.gateway.notification.NotificationCompleted;
import io.maspush.gateway.notification.NotificationRepository;
import io.maspush.gateway.notification.NotificationStatus;
import io.maspush.gateway.push.PushClient;
import io.maspush.gateway.push.PushMessage;
import io.maspush.gateway.push.PushOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;

/**
 * Makes one delivery attempt for a claimed notification: checks that it may be sent now,
 * calls the push service through the environment's circuit breaker, and records what came
 * of it. Reads top to bottom in that order.
 */
@Component
class DeliveryWorker {

    private static final Logger logger = LoggerFactory.getLogger(DeliveryWorker.class);

    private final NotificationRepository repository;

    private final PushEnvironments environments;

    private final EnvironmentGates gates;

    private final ResilienceRegistries resilience;

    private final PushClient pushClient;

    private final DeliveryMetrics metrics;

    private final ApplicationEventPublisher events;

    private final DeliveryProperties properties;

    private final Backoff backoff;

    private final Clock clock;

    DeliveryWorker(NotificationRepository repository, PushEnvironments environments, EnvironmentGates gates,
            ResilienceRegistries resilience, PushClient pushClient, DeliveryMetrics metrics,
            ApplicationEventPublisher events, DeliveryProperties properties, Clock clock) {
        this.repository = repository;
        this.environments = environments;
        this.gates = gates;
        this.resilience = resilience;
        this.pushClient = pushClient;
        this.metrics = metrics;
        this.events = events;
        this.properties = properties;
        this.backoff = new Backoff(properties.initialBackoff(), properties.backoffMultiplier(),
                properties.maxBackoff());
        this.clock = clock;
    }

    /**
     * Attempt one delivery.
     * @param notification a notification this process has claimed
     * @param probe whether this attempt tests a paused environment's key
     */
    void deliver(Notification notification, boolean probe) {
        MDC.put("notificationId", notification.id().toString());
        MDC.put("environment", notification.environment());
        MDC.put("clientId", notification.clientId());
        try {
            attempt(notification, probe);
        }
        catch (RuntimeException ex) {
            logger.warn("Delivery attempt could not be recorded; the claim lapses and the notification is retried", ex);
        }
        finally {
            MDC.remove("notificationId");
            MDC.remove("environment");
            MDC.remove("clientId");
        }
    }

    private void attempt(Notification notification, boolean probe) {
        Instant now = this.clock.instant();
        PushEnvironment environment = this.environments.get(notification.environment());
        EnvironmentGate gate = this.gates.get(environment.name());
        if (notification.isExpiredAt(now)) {
            complete(notification, NotificationStatus.EXPIRED, "expired", describeExpiry(notification.lastError()),
                    false, now);
            return;
        }
        if (!environment.settings().isConfigured()) {
            this.repository.reschedule(notification.id(), now.plus(this.properties.pauseProbeInterval()),
                    "no API key is configured for environment " + environment.name(), false, now);
            return;
        }
        if (gate.isHeldAt(now) || (gate.isPaused() && !probe)) {
            Instant next = gate.isHeldAt(now) ? gate.heldUntil() : now;
            this.repository.reschedule(notification.id(), next, null, false, now);
            return;
        }
        CircuitBreaker breaker = this.resilience.circuitBreaker(environment.name());
        if (!breaker.tryAcquirePermission()) {
            this.metrics.attempt(environment.name(), notification.api(), "circuit_open");
            this.repository.reschedule(notification.id(), now.plus(this.properties.sweepInterval()),
                    "waiting: the circuit breaker for environment " + environment.name()
                            + " is open after repeated failures of the push service",
                    false, now);
            return;
        }
        if (!withinRateLimit(environment)) {
            breaker.releasePermission();
            this.repository.reschedule(notification.id(), now.plus(this.properties.sweepInterval()), null, false, now);
            return;
        }
        call(notification, environment, gate, breaker, probe);
    }

    private void call(Notification notification, PushEnvironment environment, EnvironmentGate gate,
            CircuitBreaker breaker, boolean probe) {
        Instant started = this.clock.instant();
        gate.attemptStarted(started);
        long startNanos = System.nanoTime();
        PushOutcome outcome = send(notification, environment);
        Duration took = Duration.ofNanos(System.nanoTime() - startNanos);
        recordInBreaker(breaker, outcome, took);
        this.metrics.upstreamCall(environment.name(), notification.api(), outcome, took);
        Instant now = this.clock.instant();
        switch (outcome.type()) {
            case DELIVERED -> delivered(notification, gate, now, probe);
            case PERMANENT ->
                complete(notification, NotificationStatus.FAILED, "rejected", outcome.detail(), true, now);
            case KEY_REJECTED -> keyRejected(notification, environment, gate, outcome, now);
            default -> retryLater(notification, environment, gate, outcome, now);
        }
    }

    private void delivered(Notification notification, EnvironmentGate gate, Instant now, boolean probe) {
        if (this.repository.markDelivered(notification.id(), now)) {
            this.metrics.delivered(notification.environment(), notification.api(),
                    Duration.between(notification.createdAt(), now));
            logger.info("Notification {} of client {} delivered in environment {} after {} attempt(s)",
                    notification.id(), notification.clientId(), notification.environment(),
                    notification.attempts() + 1);
            this.events.publishEvent(NotificationCompleted.of(notification, NotificationStatus.DELIVERED, "delivered"));
        }
        if (probe || gate.isPaused()) {
            this.gates.resume(notification.environment(), "the push service accepted the API key again");
        }
    }

    private void keyRejected(Notification notification, PushEnvironment environment, EnvironmentGate gate,
            PushOutcome outcome, Instant now) {
        String reason = outcome.detail() + "; deliveries for environment " + environment.name()
                + " are paused until the API key is replaced";
        if (gate.pause(reason, now)) {
            logger.warn("Deliveries for environment {} paused: {}", environment.name(), outcome.detail());
        }
        this.repository.reschedule(notification.id(), now, reason, false, now);
    }

    private void retryLater(Notification notification, PushEnvironment environment, EnvironmentGate gate,
            PushOutcome outcome, Instant now) {
        int attempts = notification.attempts() + 1;
        if (outcome.holdsEnvironment() && gate.holdUntil(now.plus(outcome.retryAfter()))) {
            logger.warn("Deliveries for environment {} held for {} s as the push service asked (HTTP {})",
                    environment.name(), outcome.retryAfter().toSeconds(), outcome.upstreamStatus());
        }
        if (attempts >= this.properties.maxAttempts()) {
            complete(notification, NotificationStatus.FAILED, "attempts_exhausted",
                    "gave up after " + attempts + " attempts; last: " + outcome.detail(), true, now);
            return;
        }
        Duration delay = this.backoff.delayAfter(attempts);
        if (outcome.retryAfter() != null && outcome.retryAfter().compareTo(delay) > 0) {
            delay = outcome.retryAfter();
        }
        Instant next = now.plus(delay);
        if (!next.isBefore(notification.expiresAt())) {
            complete(notification, NotificationStatus.EXPIRED, "expired",
                    "time to live ran out while retrying; last: " + outcome.detail(), true, now);
            return;
        }
        logger.debug("Notification {} attempt {} not delivered ({}); next attempt in {} ms", notification.id(),
                attempts, outcome.detail(), delay.toMillis());
        this.repository.reschedule(notification.id(), next, outcome.detail(), true, now);
    }

    private void complete(Notification notification, NotificationStatus status, String reason, String lastError,
            boolean attempted, Instant now) {
        if (this.repository.markFinal(notification.id(), status, lastError, attempted, now)) {
            logger.info("Notification {} of client {} {} in environment {} ({}): {}", notification.id(),
                    notification.clientId(), status, notification.environment(), reason, lastError);
            this.events.publishEvent(NotificationCompleted.of(notification, status, reason));
        }
    }

    private boolean withinRateLimit(PushEnvironment environment) {
        RateLimiter limiter = this.resilience.rateLimiter(environment);
        return limiter == null || limiter.acquirePermission();
    }

    /**
     * Only what says the push service or the network is unhealthy counts against the
     * breaker. A rejected key pauses the environment and a rate limit holds it, so
     * neither may also open the circuit.
     */
    static void recordInBreaker(CircuitBreaker breaker, PushOutcome outcome, Duration took) {
        boolean serverError = outcome.type() == PushOutcome.Type.RETRYABLE && outcome.upstreamStatus() >= 500
                && !outcome.holdsEnvironment();
        if (outcome.type().isUpstreamFailure() || serverError) {
            breaker.onError(took.toNanos(), TimeUnit.NANOSECONDS, new UpstreamFailure(outcome.detail()));
        }
        else if (outcome.type() == PushOutcome.Type.DELIVERED || outcome.type() == PushOutcome.Type.PERMANENT) {
            breaker.onSuccess(took.toNanos(), TimeUnit.NANOSECONDS);
        }
        else {
            breaker.releasePermission();
        }
    }

    private static String describeExpiry(String lastError) {
        return (lastError != null) ? "time to live ran out; last: " + lastError
                : "time to live ran out before it could be sent";
    }

    private PushOutcome send(Notification notification, PushEnvironment environment) {
        if (notification.relayedBody() != null) {
            return this.pushClient.forward(environment, notification.relayedBody(), notification.id().toString())
                .outcome();
        }
        return this.pushClient.send(environment, message(notification, environment));
    }

    private static PushMessage message(Notification notification, PushEnvironment environment) {
        return new PushMessage(environment.settings().bundleId(), notification.id().toString(),
                notification.recipients(), notification.title(), notification.body(), notification.category(),
                notification.priority().name(), notification.data(), notification.expiresAt());
    }

    /**
     * What the circuit breaker records for a failed call; it carries only the outcome's
     * safe description.
     */
    static final class UpstreamFailure extends RuntimeException {

        UpstreamFailure(String message) {
            super(message, null, false, false);
        }

    }

}
