package io.maspush.gateway.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.maspush.gateway.environment.PushEnvironment;
import io.maspush.gateway.environment.PushEnvironments;
import io.maspush.gateway.notification.NotificationRepository;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * Part of the liveness group: reports DOWN when notifications have been due for longer
 * than the stall threshold in an environment that is free to deliver (not paused, not
 * held, circuit not open) and no attempt has started there in as long, or when the sweep
 * itself has stopped running. A consumer that stalls must not sit silent for hours;
 * Kubernetes restarts the pod instead. An outage of the push service never makes it DOWN:
 * that is what the circuit is for.
 */
@Component("deliveryWatchdog")
class DeliveryWatchdog implements HealthIndicator {

    private final DeliveryDispatcher dispatcher;

    private final PushEnvironments environments;

    private final EnvironmentGates gates;

    private final ResilienceRegistries resilience;

    private final NotificationRepository repository;

    private final DeliveryProperties properties;

    private final Clock clock;

    private final Instant startedAt;

    DeliveryWatchdog(DeliveryDispatcher dispatcher, PushEnvironments environments, EnvironmentGates gates,
            ResilienceRegistries resilience, NotificationRepository repository, DeliveryProperties properties,
            Clock clock) {
        this.dispatcher = dispatcher;
        this.environments = environments;
        this.gates = gates;
        this.resilience = resilience;
        this.repository = repository;
        this.properties = properties;
        this.clock = clock;
        this.startedAt = clock.instant();
    }

    @Override
    public Health health() {
        Instant now = this.clock.instant();
        Duration threshold = this.properties.stallThreshold();
        Instant lastSweep = this.dispatcher.lastSweep();
        Instant sweepReference = (lastSweep != null) ? lastSweep : this.startedAt;
        if (this.dispatcher.isRunning() && sweepReference.isBefore(now.minus(threshold))) {
            return Health.down()
                .withDetail("problem", "the delivery sweep has not run since " + sweepReference)
                .build();
        }
        Map<String, Object> stalled = new LinkedHashMap<>();
        for (PushEnvironment environment : this.environments.all()) {
            stalledSince(environment.name(), now, threshold).ifPresent((since) -> stalled.put(environment.name(),
                    "notifications due since " + since + " and no delivery attempt started since "
                            + this.gates.get(environment.name()).lastAttemptStarted()));
        }
        return stalled.isEmpty() ? Health.up().build() : Health.down().withDetails(stalled).build();
    }

    private Optional<Instant> stalledSince(String environment, Instant now, Duration threshold) {
        EnvironmentGate gate = this.gates.get(environment);
        CircuitBreaker.State state = this.resilience.circuitBreaker(environment).getState();
        boolean free = gate.isOpenAt(now) && state != CircuitBreaker.State.OPEN
                && state != CircuitBreaker.State.FORCED_OPEN;
        if (!free || gate.lastAttemptStarted().isAfter(now.minus(threshold))) {
            return Optional.empty();
        }
        return this.repository.oldestDue(environment, now).filter((due) -> due.isBefore(now.minus(threshold)));
    }

}
