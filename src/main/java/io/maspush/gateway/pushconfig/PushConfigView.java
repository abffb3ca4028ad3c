package io.maspush.gateway.pushconfig;

import java.net.URI;
import java.time.Instant;
import java.util.List;

/**
 * An environment's push settings as administrators see them: everything but the key, of
 * which only a fingerprint and its history are shown.
 *
 * @param environment the environment
 * @param bundleId the bundle identifier
 * @param url the push service URL
 * @param apiKeyHeader the header that carries the key
 * @param proxy the proxy as {@code host:port}, or {@code null}
 * @param apiKey what may be known about the key
 * @param warnings what an administrator should look at
 */
public record PushConfigView(String environment, String bundleId, URI url, String apiKeyHeader, String proxy,
        ApiKeyView apiKey, List<String> warnings) {

    /**
     * The key, masked.
     *
     * @param configured whether there is a key
     * @param fingerprint the first 12 hex digits of its SHA-256
     * @param source {@code admin}, {@code file}, {@code config} or {@code none}
     * @param updatedAt when it was set or first seen
     * @param updatedBy a client id, {@code file} or {@code config}
     * @param ageDays its age in days
     * @param rotationDue whether it is older than the rotation period
     */
    public record ApiKeyView(boolean configured, String fingerprint, String source, Instant updatedAt, String updatedBy,
            Long ageDays, boolean rotationDue) {
    }

}
