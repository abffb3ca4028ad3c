package io.maspush.gateway.pushconfig;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import io.maspush.gateway.delivery.EnvironmentGate;
import io.maspush.gateway.delivery.EnvironmentGates;
import io.maspush.gateway.delivery.ResilienceRegistries;
import io.maspush.gateway.environment.PushEnvironment;
import io.maspush.gateway.environment.PushEnvironments;
import io.maspush.gateway.notification.NotificationRepository;

import org.springframework.stereotype.Component;

/**
 * The delivery state of each environment, for the admin API.
 */
@Component
class EnvironmentStates {

    private final PushEnvironments environments;

    private final EnvironmentGates gates;

    private final ResilienceRegistries resilience;

    private final NotificationRepository notifications;

    private final Clock clock;

    EnvironmentStates(PushEnvironments environments, EnvironmentGates gates, ResilienceRegistries resilience,
            NotificationRepository notifications, Clock clock) {
        this.environments = environments;
        this.gates = gates;
        this.resilience = resilience;
        this.notifications = notifications;
        this.clock = clock;
    }

    List<EnvironmentState> all() {
        return this.environments.all().stream().map(this::state).toList();
    }

    EnvironmentState state(PushEnvironment environment) {
        Instant now = this.clock.instant();
        EnvironmentGate gate = this.gates.get(environment.name());
        EnvironmentGate.Pause pause = gate.pause();
        return new EnvironmentState(environment.name(), environment.settings().isConfigured(),
                this.resilience.circuitBreaker(environment.name()).getState().name(), pause != null,
                (pause != null) ? pause.reason() : null, (pause != null) ? pause.since() : null,
                gate.isHeldAt(now) ? gate.heldUntil() : null, this.notifications.countQueued(environment.name()));
    }

    /**
     * One environment's delivery state.
     *
     * @param name the environment
     * @param configured whether it has an API key
     * @param circuit the circuit breaker's state
     * @param paused whether deliveries are paused by a rejected key
     * @param pauseReason why, if paused
     * @param pausedSince since when, if paused
     * @param heldUntil until when the push service asked the gateway to wait, if it did
     * @param queued notifications waiting
     */
    record EnvironmentState(String name, boolean configured, String circuit, boolean paused, String pauseReason,
            Instant pausedSince, Instant heldUntil, long queued) {
    }

}
