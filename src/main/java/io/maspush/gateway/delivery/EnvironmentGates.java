package io.maspush.gateway.delivery;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.maspush.gateway.environment.PushEnvironmentChanged;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The gate of every environment, created on first use. Each replica keeps its own: a
 * replica learns of a rejected key from its own first rejected call, which costs one call
 * and needs no coordination.
 */
@Component
public class EnvironmentGates {

    private static final Logger logger = LoggerFactory.getLogger(EnvironmentGates.class);

    private final Map<String, EnvironmentGate> gates = new ConcurrentHashMap<>();

    private final Clock clock;

    EnvironmentGates(Clock clock) {
        this.clock = clock;
    }

    public EnvironmentGate get(String environment) {
        return this.gates.computeIfAbsent(environment, (name) -> new EnvironmentGate(name, this.clock.instant()));
    }

    /**
     * Any change of an environment's settings may be the fix for a rejected key, so it
     * lifts the pause at once instead of waiting for the next probe.
     * @param changed the change
     */
    @EventListener
    void settingsChanged(PushEnvironmentChanged changed) {
        resume(changed.environment(), "its settings were changed by " + changed.changedBy());
    }

    /**
     * Lift the pause of an environment, for example because its key was changed.
     * @param environment the environment
     * @param why what lifted it, for the log
     */
    public void resume(String environment, String why) {
        if (get(environment).resume()) {
            logger.info("Deliveries for environment {} resumed: {}", environment, why);
        }
    }

}
