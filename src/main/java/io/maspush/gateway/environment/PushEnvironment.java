package io.maspush.gateway.environment;

/**
 * A named push environment (a MAS environment such as DEV, TEST or PROD) with the
 * settings it delivers with. Every notification belongs to exactly one environment, and
 * its circuit breaker, pause state and metrics are kept apart from every other
 * environment's.
 *
 * @param name the environment's name, also the {@code environment} tag of its metrics
 * @param settings its current settings
 * @param keySource where its API key comes from
 */
public record PushEnvironment(String name, PushSettings settings, KeySource keySource) {

    /** The environment that exists when no others are configured. */
    public static final String DEFAULT = "default";

    /** The fields an administrator can change, as named in the audit trail. */
    public enum Field {

        bundleId, url, apiKeyHeader, proxy, apiKey

    }

}
