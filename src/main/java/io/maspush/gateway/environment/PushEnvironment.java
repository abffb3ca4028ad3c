package io.maspush.gateway.environment;

/**
 * A named push environment (a MAS environment such as DEV, TEST or PROD) with the
 * settings it delivers with. Every notification belongs to exactly one environment, and
 * its circuit breaker, pause state and metrics are kept apart from every other
 * environment's.
 *
 * @param name the environment's name, also the {@code environment} tag of its metrics
 * @param settings its current settings
 */
public record PushEnvironment(String name, PushSettings settings) {

    /** The environment that exists when no others are configured. */
    public static final String DEFAULT = "default";

}
