package io.maspush.gateway.pushconfig;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.maspush.gateway.delivery.EnvironmentGate;
import io.maspush.gateway.delivery.EnvironmentGates;
import io.maspush.gateway.delivery.ResilienceRegistries;
import io.maspush.gateway.environment.PushEnvironment;
import io.maspush.gateway.environment.PushEnvironments;

import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The {@code push} health contributor: per environment, whether it can deliver and, if
 * not, why. It is deliberately left out of the liveness and readiness groups: an outage
 * of the push service must neither restart nor unroute the gateway, which keeps accepting
 * and queueing meanwhile.
 */
@Component("push")
class PushHealthIndicator implements HealthIndicator {

    private final PushEnvironments environments;

    private final EnvironmentGates gates;

    private final ResilienceRegistries resilience;

    private final PushConfigService pushConfig;

    private final ConnectivityMonitor connectivity;

    private final Clock clock;

    PushHealthIndicator(PushEnvironments environments, EnvironmentGates gates, ResilienceRegistries resilience,
            PushConfigService pushConfig, ConnectivityMonitor connectivity, Clock clock) {
        this.connectivity = connectivity;
        this.environments = environments;
        this.gates = gates;
        this.resilience = resilience;
        this.pushConfig = pushConfig;
        this.clock = clock;
    }

    @Override
    public Health health() {
        Instant now = this.clock.instant();
        boolean allDelivering = true;
        Map<String, Object> details = new LinkedHashMap<>();
        for (PushEnvironment environment : this.environments.all()) {
            Map<String, Object> detail = new LinkedHashMap<>();
            EnvironmentGate gate = this.gates.get(environment.name());
            boolean configured = environment.settings().isConfigured();
            detail.put("configured", configured);
            if (!configured) {
                detail.put("problem", "push is not configured: no API key. Set GATEWAY_PUSH_API_KEY or "
                        + "gateway.push.api-key to the key generated on IBM's push notification portal");
            }
            detail.put("circuit", this.resilience.circuitBreaker(environment.name()).getState().name());
            if (gate.isPaused()) {
                detail.put("paused", gate.pause().reason());
                detail.put("pausedSince", gate.pause().since());
            }
            if (gate.isHeldAt(now)) {
                detail.put("heldUntil", gate.heldUntil());
            }
            detail.put("keySource", environment.keySource().name().toLowerCase(java.util.Locale.ROOT));
            List<String> warnings = this.pushConfig.warnings(environment);
            if (!warnings.isEmpty()) {
                detail.put("warnings", warnings);
            }
            boolean reachable = this.connectivity.latest(environment).map((checked) -> {
                Map<String, Object> check = new LinkedHashMap<>();
                check.put("ok", checked.report().ok());
                check.put("checkedAt", checked.at());
                checked.report()
                    .failure()
                    .ifPresent((step) -> check.put("failure", step.name() + ": " + step.message()));
                detail.put("connectivity", check);
                return checked.report().ok();
            }).orElse(true);
            allDelivering &= configured && !gate.isPaused() && reachable;
            details.put(environment.name(), detail);
        }
        return (allDelivering ? Health.up() : Health.down()).withDetails(details).build();
    }

}
