package io.maspush.gateway.push;

import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;

import io.maspush.gateway.environment.ProxySettings;
import io.maspush.gateway.environment.PushSettings;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpHeaders;
import org.springframework.http.client.ClientHttpRequest;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.http.client.HttpComponentsClientHttpRequestFactory;
import org.springframework.http.client.JdkClientHttpRequestFactory;

/**
 * Builds the HTTP client of one push environment: HTTP/1.1, the environment's timeouts,
 * no redirects and, when the environment has one, its outbound proxy.
 * <p>
 * Without a proxy, calls go through Apache HttpClient's pool of keep-alive connections,
 * reading and writing on the caller's own thread, a virtual one where the JVM has them.
 * The JDK client hands every call between its selector thread, its workers and, through
 * Spring's adapter, a new thread that writes the body: on two cores the relay spent most
 * of its CPU on those hand-offs (see docs/performance.md).
 * <p>
 * Through a proxy, calls keep the JDK client, whose handling of proxy credentials below
 * is the one administrators have been told about. Proxy credentials are sent preemptively
 * as a {@code Proxy-Authorization: Basic} header instead of through an
 * {@link java.net.Authenticator}. The JDK client answers a 407 challenge from an
 * authenticator again and again until it gives up with an {@code IOException}, so a wrong
 * password would cost several requests per delivery (and may lock a directory account
 * behind the proxy) and never surface as a 407. With the header, every delivery makes one
 * request, and a refusal comes back as HTTP 407.
 */
public final class PushHttpClients {

    /**
     * The JDK networking property that lists the proxy authentication schemes the HTTP
     * client must not use when it opens an HTTPS tunnel ({@code CONNECT}). The JDK's
     * {@code net.properties} sets it to {@code Basic}.
     */
    public static final String TUNNELING_DISABLED_SCHEMES = "jdk.http.auth.tunneling.disabledSchemes";

    /**
     * Connections kept to the push service per environment: above what the delivery
     * bulkhead and the relay let run at once with the defaults, so that neither waits for
     * a connection while the other is busy.
     */
    private static final int MAX_CONNECTIONS = 128;

    private static final String WIRE_LOG = "jdk.httpclient.HttpClient.log";

    private static final Logger logger = LoggerFactory.getLogger(PushHttpClients.class);

    private PushHttpClients() {
    }

    /**
     * Let the JDK HTTP client send Basic proxy credentials when it opens an HTTPS tunnel,
     * which corporate proxies in front of MAS usually require. This is the documented
     * switch of the JDK's networking properties: a system property of the same name
     * overrides {@code net.properties}, and an empty value disables no scheme. An
     * operator's own value, given with {@code -D} on the command line, is kept.
     * <p>
     * The JDK reads the property once, when the first HTTP client of the JVM is created,
     * and Spring Boot creates one while it builds the application context, so this must
     * run before the application starts. It only has an effect where a
     * {@code Proxy-Authorization} header is sent, and only the clients built here send
     * one, for the configured proxy.
     */
    public static void allowBasicProxyAuthenticationForTunnels() {
        if (System.getProperty(TUNNELING_DISABLED_SCHEMES) == null) {
            System.setProperty(TUNNELING_DISABLED_SCHEMES, "");
        }
    }

    /**
     * Switch off the JDK HTTP client's own wire logging of headers. It writes request
     * headers, the API key and proxy credentials included, to the log whatever the
     * gateway's log levels say, so the gateway does not allow it; the gateway's own logs
     * describe every call without them.
     * @return whether a setting had to be removed
     */
    public static boolean suppressHeaderWireLogging() {
        String wireLog = System.getProperty(WIRE_LOG);
        if (wireLog == null) {
            return false;
        }
        String lower = wireLog.toLowerCase(java.util.Locale.ROOT);
        if (lower.contains("headers") || lower.contains("all")) {
            System.clearProperty(WIRE_LOG);
            return true;
        }
        return false;
    }

    /**
     * Build the request factory for an environment's settings.
     * @param settings the environment's settings
     * @return a request factory whose requests go through the proxy, if any
     */
    static ClientHttpRequestFactory requestFactory(PushSettings settings) {
        if (settings.proxy() == null) {
            return pooled(settings);
        }
        HttpClient.Builder builder = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(settings.connectTimeout())
            .followRedirects(HttpClient.Redirect.NEVER);
        ProxySettings proxy = settings.proxy();
        if (proxy != null) {
            // Unresolved, so that the client looks the proxy up on every new connection
            // rather than keeping the address it had when the settings were loaded.
            builder.proxy(ProxySelector.of(InetSocketAddress.createUnresolved(proxy.host(), proxy.port())));
        }
        JdkClientHttpRequestFactory factory = new JdkClientHttpRequestFactory(builder.build());
        factory.setReadTimeout(settings.responseTimeout());
        if (proxy == null || !proxy.hasCredentials()) {
            return factory;
        }
        warnIfTunnelCredentialsAreDropped(settings, System.getProperty(TUNNELING_DISABLED_SCHEMES));
        String authorization = basic(proxy);
        return (uri, method) -> {
            ClientHttpRequest request = factory.createRequest(uri, method);
            request.getHeaders().set(HttpHeaders.PROXY_AUTHORIZATION, authorization);
            return request;
        };
    }

    /**
     * A pool of keep-alive connections to the push service. Connections idle for a while
     * are checked before reuse, since a load balancer may have closed them, and none is
     * kept longer than a few minutes, so that a changed DNS answer is followed. Nothing
     * is retried here: the dispatcher and the relay decide what to retry.
     */
    private static ClientHttpRequestFactory pooled(PushSettings settings) {
        Timeout connectTimeout = Timeout.of(settings.connectTimeout());
        PoolingHttpClientConnectionManager connections = PoolingHttpClientConnectionManagerBuilder.create()
            .setMaxConnTotal(MAX_CONNECTIONS)
            .setMaxConnPerRoute(MAX_CONNECTIONS)
            .setDefaultConnectionConfig(ConnectionConfig.custom()
                .setConnectTimeout(connectTimeout)
                .setSocketTimeout(Timeout.of(settings.responseTimeout()))
                .setValidateAfterInactivity(TimeValue.ofSeconds(2))
                .setTimeToLive(TimeValue.ofMinutes(5))
                .build())
            .build();
        CloseableHttpClient client = HttpClients.custom()
            .setConnectionManager(connections)
            .setDefaultRequestConfig(RequestConfig.custom()
                .setConnectionRequestTimeout(connectTimeout)
                .setResponseTimeout(Timeout.of(settings.responseTimeout()))
                .build())
            .disableRedirectHandling()
            .disableAutomaticRetries()
            .disableCookieManagement()
            .disableAuthCaching()
            .build();
        return new HttpComponentsClientHttpRequestFactory(client);
    }

    /**
     * Warn when the JDK will drop the proxy credentials of an HTTPS URL, so that the
     * resulting 407 answers are not a mystery.
     * @param settings the environment's settings
     * @param disabledSchemes the value of {@link #TUNNELING_DISABLED_SCHEMES}, or
     * {@code null} when it is not set and the JDK's default applies
     */
    static void warnIfTunnelCredentialsAreDropped(PushSettings settings, String disabledSchemes) {
        boolean https = "https".equalsIgnoreCase(settings.url().getScheme());
        if (https && disablesBasic(disabledSchemes)) {
            logger.warn(
                    "The proxy {} needs credentials, but {}={} keeps the JDK from sending Basic credentials when it"
                            + " opens an HTTPS tunnel: deliveries will fail with 407 until Basic is no longer listed",
                    settings.proxy(), TUNNELING_DISABLED_SCHEMES,
                    (disabledSchemes != null) ? disabledSchemes : "Basic");
        }
    }

    static boolean disablesBasic(String disabledSchemes) {
        if (disabledSchemes == null) {
            return true;
        }
        return Arrays.stream(disabledSchemes.split(","))
            .map((scheme) -> scheme.strip().toLowerCase(Locale.ROOT))
            .anyMatch("basic"::equals);
    }

    private static String basic(ProxySettings proxy) {
        String credentials = proxy.username() + ":" + proxy.password().reveal();
        return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    }

}
