package io.maspush.gateway.security;

import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How callers are let in.
 *
 * @param enabled whether callers must authenticate; switching it off lets every request
 * in as client {@code anonymous} and is logged as a warning at every start
 * @param rateLimit the request rate each client may use unless its own entry says
 * otherwise
 * @param cors browser origins allowed to call the API; none unless configured
 */
@ConfigurationProperties("gateway.security")
public record SecurityProperties(@DefaultValue("true") boolean enabled, @DefaultValue RateLimit rateLimit,
        @DefaultValue Cors cors) {

    /**
     * A token bucket: {@code burst} requests at once, refilled at
     * {@code requests-per-second}.
     *
     * @param requestsPerSecond the sustained rate
     * @param burst how many requests may come at once after a quiet spell
     */
    public record RateLimit(@DefaultValue("50") int requestsPerSecond, @DefaultValue("100") int burst) {

        public RateLimit {
            if (requestsPerSecond < 1 || burst < 1) {
                throw new IllegalArgumentException(
                        "gateway.security.rate-limit.requests-per-second and .burst must be at least 1");
            }
        }

    }

    /**
     * Cross-origin access for browser-based tools.
     *
     * @param allowedOrigins origins such as {@code https://admin.example.com}; empty
     * means no CORS at all
     */
    public record Cors(@DefaultValue List<String> allowedOrigins) {
    }

}
