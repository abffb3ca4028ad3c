package io.maspush.gateway.callback;

import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpTimeoutException;
import java.time.Clock;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.maspush.gateway.support.Causes;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;

/**
 * POSTs one signed status callback and says how it went. Redirects are not followed: a
 * receiver that moved must be configured again, rather than letting an answer steer the
 * gateway to another address.
 */
@Component
class CallbackSender {

    private final RestClient http;

    private final ObjectMapper json;

    private final Clock clock;

    private final String userAgent;

    CallbackSender(RestClient.Builder builder, CallbackProperties properties, ObjectMapper json, Clock clock,
            ObjectProvider<BuildProperties> buildProperties) {
        HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(properties.connectTimeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
        JdkClientHttpRequestFactory factory = new JdkClientHttpRequestFactory(client);
        factory.setReadTimeout(properties.responseTimeout());
        this.http = builder.clone().requestFactory(factory).build();
        this.json = json;
        this.clock = clock;
        BuildProperties build = buildProperties.getIfAvailable();
        this.userAgent = "mas-push-gateway/" + ((build != null) ? build.getVersion() : "dev");
    }

    /**
     * Send a callback.
     * @param callback the callback
     * @param key the client's signing key
     * @return how it went
     */
    CallbackOutcome send(PendingCallback callback, byte[] key) {
        byte[] body = body(callback.payload());
        String id = callback.payload().id().toString();
        long timestamp = this.clock.instant().getEpochSecond();
        URI url = URI.create(callback.url());
        try {
            return this.http.post()
                .uri(url)
                .contentType(MediaType.APPLICATION_JSON)
                .header(HttpHeaders.USER_AGENT, this.userAgent)
                .header(CallbackSignature.ID_HEADER, id)
                .header(CallbackSignature.TIMESTAMP_HEADER, Long.toString(timestamp))
                .header(CallbackSignature.SIGNATURE_HEADER, CallbackSignature.sign(key, id, timestamp, body))
                .body(body)
                .exchange((request, response) -> {
                    int status = response.getStatusCode().value();
                    return (status >= 200 && status < 300) ? CallbackOutcome.SUCCESS
                            : CallbackOutcome.httpError(status, hostOf(url));
                }, true);
        }
        catch (ResourceAccessException ex) {
            return classify(ex, hostOf(url));
        }
    }

    private byte[] body(StatusCallback payload) {
        try {
            return this.json.writeValueAsBytes(payload);
        }
        catch (JsonProcessingException ex) {
            throw new IllegalStateException("A status callback always serialises", ex);
        }
    }

    private static CallbackOutcome classify(ResourceAccessException ex, String target) {
        if (Causes.find(ex, HttpTimeoutException.class) != null) {
            return new CallbackOutcome(CallbackOutcome.Type.TIMEOUT, "no answer from " + target + " in time");
        }
        if (Causes.find(ex, UnknownHostException.class) != null) {
            return new CallbackOutcome(CallbackOutcome.Type.IO_ERROR, "host of " + target + " cannot be resolved");
        }
        if (Causes.find(ex, ConnectException.class) != null) {
            return new CallbackOutcome(CallbackOutcome.Type.IO_ERROR,
                    "connection to " + target + " refused or unreachable");
        }
        return new CallbackOutcome(CallbackOutcome.Type.IO_ERROR,
                "connection to " + target + " failed: " + Causes.root(ex).getClass().getSimpleName());
    }

    /**
     * The receiver as failures name it: its host and port, never its path or query, which
     * may carry a caller's own token.
     */
    private static String hostOf(URI url) {
        int port = (url.getPort() != -1) ? url.getPort() : ("https".equalsIgnoreCase(url.getScheme()) ? 443 : 80);
        return url.getHost() + ":" + port;
    }

}
