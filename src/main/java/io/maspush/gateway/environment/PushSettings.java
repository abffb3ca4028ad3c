package io.maspush.gateway.environment;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;

import io.maspush.gateway.secret.Secret;

/**
 * The settings one push environment delivers with. Immutable: a change of configuration
 * produces a new instance, which the next delivery picks up.
 *
 * @param bundleId the bundle identifier sent with every message
 * @param url the push service endpoint
 * @param apiKey the API key, or {@code null} when none is configured
 * @param apiKeyHeader the header that carries the key
 * @param allowInsecureUrl whether an {@code http://} URL is accepted
 * @param proxy the outbound proxy, or {@code null} to connect directly
 * @param connectTimeout connection timeout
 * @param responseTimeout response timeout
 * @param rateLimitPerSecond outbound calls allowed per second, 0 for no limit
 */
public record PushSettings(String bundleId, URI url, Secret apiKey, String apiKeyHeader, boolean allowInsecureUrl,
        ProxySettings proxy, Duration connectTimeout, Duration responseTimeout, int rateLimitPerSecond) {

    public boolean isConfigured() {
        return this.apiKey != null;
    }

    /**
     * The port the push service listens on: the URL's, or the scheme's default.
     * @return the port
     */
    public int port() {
        return (this.url.getPort() != -1) ? this.url.getPort()
                : ("https".equalsIgnoreCase(this.url.getScheme()) ? 443 : 80);
    }

    /**
     * The push service as {@code host:port}, as failures name it.
     * @return the target
     */
    public String target() {
        return this.url.getHost() + ":" + port();
    }

    static void check(String prefix, URI url, boolean allowInsecureUrl, String apiKeyHeader, int rateLimitPerSecond) {
        String scheme = (url.getScheme() != null) ? url.getScheme().toLowerCase(Locale.ROOT) : "";
        if (!url.isAbsolute() || url.getHost() == null) {
            throw new IllegalArgumentException(prefix + ".url must be an absolute URL such as "
                    + PushProperties.DEFAULT_URL + ", but was '" + url + "'");
        }
        if (scheme.equals("http") && !allowInsecureUrl) {
            throw new IllegalArgumentException(prefix + ".url uses http://, which would send the API key in clear text;"
                    + " use https:// or set " + prefix + ".allow-insecure-url=true for a local stand-in");
        }
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException(prefix + ".url must use https://, but was '" + url + "'");
        }
        if (url.getRawUserInfo() != null) {
            throw new IllegalArgumentException(
                    prefix + ".url must not carry user information; the API key goes in " + prefix + ".api-key");
        }
        if (apiKeyHeader == null || !apiKeyHeader.matches("[A-Za-z0-9-]{1,64}")) {
            throw new IllegalArgumentException(
                    prefix + ".api-key-header must be an HTTP header name of letters, digits and '-'");
        }
        if (rateLimitPerSecond < 0) {
            throw new IllegalArgumentException(prefix + ".rate-limit-per-second must be 0 (no limit) or more");
        }
    }

}
