package io.maspush.gateway.push;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.net.ssl.SSLException;

import io.maspush.gateway.environment.ProxySettings;
import io.maspush.gateway.environment.PushEnvironment;
import io.maspush.gateway.environment.PushSettings;
import io.maspush.gateway.support.Causes;
import jakarta.annotation.PreDestroy;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;

/**
 * Calls the push service over HTTP/1.1 with keep-alive connections, one HTTP client per
 * environment so that each environment's timeouts and proxy apply only to it.
 */
@Component
class HttpPushClient implements PushClient {

    private static final Logger logger = LoggerFactory.getLogger(HttpPushClient.class);

    private static final int MAX_DETAIL_LENGTH = 200;

    /**
     * Read this much more than is kept, so that a key the push service echoes is cut out
     * whole before the text is shortened, never leaving its first characters behind.
     */
    private static final int KEY_ROOM = 512;

    private final RestClient.Builder restClientBuilder;

    private final Clock clock;

    private final String userAgent;

    /**
     * One client per way of reaching the push service, not per settings: a rotated key or
     * a changed URL keeps the pooled connections.
     */
    private final Map<Transport, Client> clients = new ConcurrentHashMap<>();

    HttpPushClient(RestClient.Builder restClientBuilder, Clock clock, ObjectProvider<BuildProperties> buildProperties) {
        this.restClientBuilder = restClientBuilder;
        this.clock = clock;
        BuildProperties build = buildProperties.getIfAvailable();
        this.userAgent = "mas-push-gateway/" + ((build != null) ? build.getVersion() : "dev");
    }

    @Override
    public PushOutcome send(PushEnvironment environment, PushMessage message) {
        PushSettings settings = environment.settings();
        URI url = settings.url();
        try {
            return clientFor(settings).post()
                .uri(url)
                .contentType(MediaType.APPLICATION_JSON)
                .accept(MediaType.APPLICATION_JSON)
                .header(settings.apiKeyHeader(), settings.apiKey().reveal())
                .header("Idempotency-Key", message.notificationId())
                .header(HttpHeaders.USER_AGENT, this.userAgent)
                .body(message)
                .exchange(
                        (request, response) -> PushOutcome.ofStatus(response.getStatusCode().value(),
                                describe(response.getStatusCode().value(), response.getBody(), settings),
                                RetryAfter.parse(response.getHeaders().getFirst(HttpHeaders.RETRY_AFTER), this.clock)),
                        true);
        }
        catch (ResourceAccessException ex) {
            return classify(ex, settings);
        }
    }

    @Override
    public RelayReply forward(PushEnvironment environment, RelayedBody body, String idempotencyKey) {
        PushSettings settings = environment.settings();
        try {
            return clientFor(settings).post()
                .uri(settings.url())
                .contentType(MediaType.APPLICATION_JSON)
                .header(settings.apiKeyHeader(), settings.apiKey().reveal())
                .header("Idempotency-Key", idempotencyKey)
                .header(HttpHeaders.USER_AGENT, this.userAgent)
                .body(body.render(settings.apiKey()).getBytes(StandardCharsets.UTF_8))
                .exchange((request, response) -> {
                    int status = response.getStatusCode().value();
                    byte[] answer = response.getBody().readNBytes(RelayReply.MAX_BODY);
                    String retryAfter = response.getHeaders().getFirst(HttpHeaders.RETRY_AFTER);
                    PushOutcome outcome = PushOutcome.ofStatus(status, describe(status, answer, settings),
                            RetryAfter.parse(retryAfter, this.clock));
                    MediaType contentType = response.getHeaders().getContentType();
                    return new RelayReply(outcome, (contentType != null) ? contentType.toString() : null, retryAfter,
                            answer);
                }, true);
        }
        catch (ResourceAccessException ex) {
            return new RelayReply(classify(ex, settings), null, null, new byte[0]);
        }
    }

    private RestClient clientFor(PushSettings settings) {
        if (this.clients.size() > 64) {
            closeClients();
        }
        return this.clients.computeIfAbsent(Transport.of(settings), (transport) -> createClient(settings)).rest();
    }

    private Client createClient(PushSettings settings) {
        ClientHttpRequestFactory factory = PushHttpClients.requestFactory(settings);
        return new Client(this.restClientBuilder.clone().requestFactory(factory).build(), factory);
    }

    @PreDestroy
    void closeClients() {
        this.clients.values().removeIf((client) -> {
            client.close();
            return true;
        });
    }

    private static String describe(int status, InputStream body, PushSettings settings) throws IOException {
        if (status >= 200 && status < 300) {
            return null;
        }
        return describe(status, body.readNBytes(MAX_DETAIL_LENGTH + KEY_ROOM), settings);
    }

    /**
     * A failed answer in an administrator's terms, with the start of its body; the key is
     * cut out of the body should the push service echo it, because the description is
     * stored, shown and logged.
     */
    private static String describe(int status, byte[] body, PushSettings settings) {
        if (status >= 200 && status < 300) {
            return null;
        }
        if (status == 407) {
            return ProxyFailures.refusal(settings.proxy());
        }
        String text = new String(body, 0, Math.min(body.length, MAX_DETAIL_LENGTH + KEY_ROOM), StandardCharsets.UTF_8);
        if (settings.apiKey() != null) {
            text = text.replace(settings.apiKey().reveal(), "[redacted]");
        }
        text = text.substring(0, Math.min(text.length(), MAX_DETAIL_LENGTH)).replaceAll("\\p{Cntrl}+", " ").strip();
        String reason = switch (status) {
            case 401, 403 -> "the push service rejected the API key";
            case 404 -> "the push service URL was not found (an outdated saved URL?)";
            case 429 -> "the push service is rate limiting this sender";
            default -> "the push service answered " + status;
        };
        return text.isEmpty() ? reason + " (HTTP " + status + ")" : reason + " (HTTP " + status + "): " + text;
    }

    private static PushOutcome classify(ResourceAccessException ex, PushSettings settings) {
        URI url = settings.url();
        String target = settings.target();
        if (settings.proxy() != null) {
            return ProxyFailures.classify(ex, settings, target);
        }
        if (Causes.find(ex, HttpConnectTimeoutException.class) != null
                || Causes.find(ex, ConnectTimeoutException.class) != null) {
            return PushOutcome.timeout("no connection to " + target + " within " + settings.connectTimeout().toMillis()
                    + " ms: is outbound HTTPS to that host allowed by the network policy, firewall or proxy?");
        }
        if (Causes.find(ex, HttpTimeoutException.class) != null
                || Causes.find(ex, SocketTimeoutException.class) != null) {
            return PushOutcome
                .timeout("no answer from " + target + " within " + settings.responseTimeout().toMillis() + " ms");
        }
        SSLException tls = Causes.find(ex, SSLException.class);
        if (tls != null) {
            boolean untrusted = Causes.find(ex, java.security.cert.CertPathBuilderException.class) != null
                    || Causes.find(ex, java.security.cert.CertificateException.class) != null;
            return PushOutcome.ioError("TLS handshake with " + target + " failed: "
                    + (untrusted ? "its certificate is not trusted" : shorten(tls.getMessage())));
        }
        if (Causes.find(ex, UnknownHostException.class) != null
                || Causes.find(ex, UnresolvedAddressException.class) != null) {
            return PushOutcome.ioError("host " + url.getHost() + " cannot be resolved: check DNS and the URL");
        }
        if (Causes.find(ex, ConnectException.class) != null) {
            return PushOutcome.ioError("connection to " + target + " refused or unreachable");
        }
        Throwable cause = Causes.root(ex);
        return PushOutcome.ioError("connection to " + target + " failed: " + cause.getClass().getSimpleName()
                + ((cause.getMessage() != null) ? " " + shorten(cause.getMessage()) : ""));
    }

    static String shorten(String text) {
        if (text == null) {
            return "";
        }
        return (text.length() > 120) ? text.substring(0, 120) : text;
    }

    /**
     * What decides how the push service is reached.
     */
    private record Transport(Duration connectTimeout, Duration responseTimeout, ProxySettings proxy) {

        static Transport of(PushSettings settings) {
            return new Transport(settings.connectTimeout(), settings.responseTimeout(), settings.proxy());
        }

    }

    private record Client(RestClient rest, ClientHttpRequestFactory factory) {

        void close() {
            if (this.factory instanceof DisposableBean disposable) {
                try {
                    disposable.destroy();
                }
                catch (Exception ex) {
                    logger.debug("Closing an HTTP client to the push service failed", ex);
                }
            }
        }

    }

}
