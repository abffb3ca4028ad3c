package io.maspush.gateway.environment;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

import io.maspush.gateway.secret.Secret;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The MAS push settings of one environment: the three fields an administrator fills in on
 * the MAS Push Notification screen, plus how the gateway reaches the push service. Bound
 * from {@code gateway.push.*} for the {@code default} environment and from
 * {@code gateway.environments.<name>.push.*} for named ones.
 *
 * @param bundleId the MAS Mobile app's bundle identifier; only a custom build of the app
 * has another
 * @param url where messages are POSTed
 * @param apiKey the key generated on IBM's push notification portal (lowest precedence: a
 * key file or a key set through the admin API wins)
 * @param apiKeyFile a file holding the key, such as a mounted Kubernetes Secret; re-read
 * when it changes
 * @param apiKeyHeader the request header that carries the API key (IBM does not publish
 * its name)
 * @param allowInsecureUrl whether an {@code http://} URL is accepted (only for a local
 * stand-in)
 * @param proxy an outbound HTTP proxy as {@code host:port}, for corporate egress
 * @param proxyUsername the proxy user, if the proxy requires authentication
 * @param proxyPassword the proxy password
 * @param proxyPasswordFile a file holding the proxy password, instead of
 * {@code proxy-password}
 * @param connectTimeout how long to wait for the TCP and TLS connection to the push
 * service
 * @param responseTimeout how long to wait for the push service's answer once the request
 * is sent
 * @param rateLimitPerSecond at most this many calls per second to the push service (0
 * means no limit): keeps the gateway under a known quota instead of discovering it
 * through 429 answers
 * @param keyRotationPeriod how old a key may get before it is reported as due for
 * rotation (read from {@code gateway.push} for every environment)
 */
@ConfigurationProperties("gateway.push")
public record PushProperties(@DefaultValue(DEFAULT_BUNDLE_ID) String bundleId, @DefaultValue(DEFAULT_URL) URI url,
        Secret apiKey, Path apiKeyFile, @DefaultValue("X-API-Key") String apiKeyHeader,
        @DefaultValue("false") boolean allowInsecureUrl, String proxy, String proxyUsername, Secret proxyPassword,
        Path proxyPasswordFile, @DefaultValue("2s") Duration connectTimeout,
        @DefaultValue("10s") Duration responseTimeout, @DefaultValue("0") int rateLimitPerSecond,
        @DefaultValue("365d") Duration keyRotationPeriod) {

    /** The bundle identifier of IBM's MAS Mobile app. */
    public static final String DEFAULT_BUNDLE_ID = "com.ibm.iot.maximo.mobile";

    /** IBM's hosted push notification service. */
    public static final String DEFAULT_URL = "https://pushnotification.suite.maximo.com/pushnotification/sendMessage";

    /** The host of IBM's hosted push notification service. */
    public static final String DEFAULT_HOST = "pushnotification.suite.maximo.com";

    /** The path of IBM's {@code sendMessage} endpoint. */
    public static final String DEFAULT_PATH = "/pushnotification/sendMessage";

    /**
     * Check these settings, failing with a message that names the offending property.
     * @param prefix where they were bound from, such as {@code gateway.push}
     */
    void validate(String prefix) {
        PushSettings.check(prefix, this.url, this.allowInsecureUrl, this.apiKeyHeader, this.rateLimitPerSecond);
        proxySettings(prefix);
    }

    ProxySettings proxySettings(String prefix) {
        Secret password = (this.proxyPasswordFile != null)
                ? SecretFiles.read(this.proxyPasswordFile, prefix + ".proxy-password-file") : this.proxyPassword;
        return ProxySettings.parse(prefix + ".proxy", this.proxy, this.proxyUsername, password);
    }

}
