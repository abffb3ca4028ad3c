package io.maspush.gateway.environment;

import java.net.URI;
import java.time.Duration;

import io.maspush.gateway.secret.Secret;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The MAS push settings of the {@code default} environment: the same three fields an
 * administrator fills in on the MAS Push Notification screen, plus how the gateway talks
 * to the push service.
 *
 * @param bundleId the MAS Mobile app's bundle identifier; only a custom build of the app
 * has another
 * @param url where messages are POSTed
 * @param apiKey the key generated on IBM's push notification portal; also read from
 * {@code GATEWAY_PUSH_API_KEY}
 * @param apiKeyHeader the request header that carries the API key (IBM does not publish
 * its name)
 * @param allowInsecureUrl whether an {@code http://} URL is accepted (only for a local
 * stand-in)
 * @param connectTimeout how long to wait for the TCP and TLS connection to the push
 * service
 * @param responseTimeout how long to wait for the push service's answer once the request
 * is sent
 * @param rateLimitPerSecond at most this many calls per second to the push service (0
 * means no limit): keeps the gateway under a known quota instead of discovering it
 * through 429 answers
 */
@ConfigurationProperties("gateway.push")
public record PushProperties(@DefaultValue(DEFAULT_BUNDLE_ID) String bundleId, @DefaultValue(DEFAULT_URL) URI url,
        Secret apiKey, @DefaultValue("X-API-Key") String apiKeyHeader, @DefaultValue("false") boolean allowInsecureUrl,
        @DefaultValue("2s") Duration connectTimeout, @DefaultValue("10s") Duration responseTimeout,
        @DefaultValue("0") int rateLimitPerSecond) {

    /** The bundle identifier of IBM's MAS Mobile app. */
    public static final String DEFAULT_BUNDLE_ID = "com.ibm.iot.maximo.mobile";

    /** IBM's hosted push notification service. */
    public static final String DEFAULT_URL = "https://pushnotification.suite.maximo.com/pushnotification/sendMessage";

    public PushProperties {
        PushSettings.check("gateway.push", url, allowInsecureUrl, apiKeyHeader, rateLimitPerSecond);
    }

    PushSettings toSettings() {
        return new PushSettings(this.bundleId, this.url, this.apiKey, this.apiKeyHeader, this.allowInsecureUrl, null,
                this.connectTimeout, this.responseTimeout, this.rateLimitPerSecond);
    }

}
