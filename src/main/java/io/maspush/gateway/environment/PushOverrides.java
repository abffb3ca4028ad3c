package io.maspush.gateway.environment;

import java.net.URI;

import io.maspush.gateway.secret.Secret;

/**
 * Settings an administrator set through the admin API, which take precedence over the
 * configuration. A {@code null} field leaves the configured value in force.
 *
 * @param bundleId the bundle identifier
 * @param url the push service URL
 * @param apiKeyHeader the header that carries the key
 * @param proxy the proxy as {@code host:port}, or an empty string for a direct connection
 * @param apiKey the API key
 */
public record PushOverrides(String bundleId, URI url, String apiKeyHeader, String proxy, Secret apiKey) {

    public static final PushOverrides NONE = new PushOverrides(null, null, null, null, null);

}
