package io.maspush.gateway.relay;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The relay endpoint, under {@code gateway.relay}.
 *
 * @param mode how relayed messages are sent unless a client has its own
 * {@code relay-mode}
 * @param deadline in {@code sync} mode, how long after the request arrived a retry may
 * still start
 * @param addBundleId whether to add the environment's bundle identifier to a body that
 * has none
 * @param bundleIdField the body field that holds the bundle identifier
 * @param maxConcurrentCalls in {@code sync} mode, how many relayed calls to the push
 * service may be under way at once per environment; beyond it a request waits for its
 * turn within the deadline, so that a burst from Manage cannot hammer the push service
 */
@ConfigurationProperties("gateway.relay")
public record RelayProperties(@DefaultValue("SYNC") RelayMode mode, @DefaultValue("10s") Duration deadline,
        @DefaultValue("false") boolean addBundleId, @DefaultValue("bundleId") String bundleIdField,
        @DefaultValue("32") int maxConcurrentCalls) {

    public RelayProperties {
        if (deadline.isNegative() || deadline.isZero() || deadline.compareTo(Duration.ofMinutes(5)) > 0) {
            throw new IllegalArgumentException(
                    "gateway.relay.deadline must be between 1ms and 5m; MAS Manage waits for the answer");
        }
        if (maxConcurrentCalls < 1) {
            throw new IllegalArgumentException("gateway.relay.max-concurrent-calls must be at least 1");
        }
        if (bundleIdField == null || bundleIdField.isBlank()) {
            throw new IllegalArgumentException(
                    "gateway.relay.bundle-id-field must name a JSON field, such as bundleId");
        }
    }

}
