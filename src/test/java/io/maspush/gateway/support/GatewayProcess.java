package io.maspush.gateway.support;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.client.WireMock;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.maspush.gateway.GatewayApplication;
import io.maspush.gateway.secret.Secret;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A whole gateway started the way it runs in production (its own web server on a random
 * port, its own dispatcher, Flyway and connection pool) with delivery timings shortened
 * like {@link GatewayTestSupport}'s, so that a test can run several of them on one
 * database, or stop one and start another on the same database. Every property is given
 * as a command-line argument: that one property source outranks {@code application.yml}
 * and holds all the {@code gateway.clients} keys together.
 */
public final class GatewayProcess implements AutoCloseable {

    public static final String CLIENT_ID = "sender";

    public static final String TOKEN = "process-sender-token-0123456789";

    /**
     * The API key these gateways send, different from {@link GatewayTestSupport#API_KEY}
     * so that calls from a cached {@code @SpringBootTest} context still retrying in the
     * same JVM neither match these tests' stubs nor count in their journal.
     */
    public static final String API_KEY = "process-api-key-0123456789";

    public static final String MINIMAL = """
            {"recipients": ["WILSON"], "title": "Work order 1042 assigned", "body": "Pump P-100 leaks"}""";

    private static final ObjectMapper json = new ObjectMapper();

    private final ConfigurableApplicationContext context;

    private final String baseUrl;

    private final HttpClient http = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(2))
        .build();

    private GatewayProcess(ConfigurableApplicationContext context) {
        this.context = context;
        this.baseUrl = "http://localhost:" + context.getEnvironment().getProperty("local.server.port");
    }

    /**
     * Start a gateway.
     * @param datasourceUrl the JDBC URL of its database
     * @param instanceId its dispatcher's owner id in claims
     * @param overrides further properties, replacing the defaults of the same name
     * @return the running gateway
     */
    public static GatewayProcess start(String datasourceUrl, String instanceId, Map<String, String> overrides) {
        Map<String, String> properties = new LinkedHashMap<>();
        properties.put("server.port", "0");
        properties.put("spring.main.banner-mode", "off");
        properties.put("spring.datasource.url", datasourceUrl);
        properties.put("gateway.push.url", UpstreamStub.url());
        properties.put("gateway.push.allow-insecure-url", "true");
        properties.put("gateway.push.api-key", API_KEY);
        properties.put("management.server.port", "0");
        // generous, so that a loaded test machine does not fail (and retry) calls
        properties.put("gateway.push.connect-timeout", "3s");
        properties.put("gateway.push.response-timeout", "5s");
        properties.put("gateway.delivery.max-attempts", "20");
        properties.put("gateway.delivery.initial-backoff", "20ms");
        properties.put("gateway.delivery.max-backoff", "100ms");
        properties.put("gateway.delivery.sweep-interval", "50ms");
        properties.put("gateway.delivery.claim-lease", "15s");
        properties.put("gateway.delivery.pause-probe-interval", "300ms");
        properties.put("gateway.delivery.shutdown-grace", "2s");
        properties.put("gateway.delivery.instance-id", instanceId);
        properties.put("gateway.clients[0].id", CLIENT_ID);
        properties.put("gateway.clients[0].token-sha256", Secret.sha256Hex(TOKEN));
        properties.put("gateway.clients[0].roles", "SEND");
        properties.putAll(overrides);
        String[] arguments = properties.entrySet()
            .stream()
            .map((entry) -> "--" + entry.getKey() + "=" + entry.getValue())
            .toArray(String[]::new);
        return new GatewayProcess(new SpringApplicationBuilder(GatewayApplication.class).run(arguments));
    }

    public <T> T bean(Class<T> type) {
        return this.context.getBean(type);
    }

    /**
     * Send a notification as the {@code sender} client.
     * @param body the JSON body
     * @return the id of the accepted notification
     */
    public UUID send(String body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(this.baseUrl + "/api/v1/notifications"))
            .header("Authorization", "Bearer " + TOKEN)
            .header("Content-Type", "application/json")
            .timeout(Duration.ofSeconds(5))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
        HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 202) {
            throw new AssertionError("Expected 202 but got " + response.statusCode() + ": " + response.body());
        }
        return UUID.fromString(json.readTree(response.body()).get("id").asText());
    }

    /**
     * POST a body to the gateway's API port.
     * @param path the path
     * @param headers the request headers
     * @param body the body
     * @return the answer
     */
    public HttpResponse<String> post(String path, Map<String, String> headers, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.baseUrl + path))
            .header("Content-Type", "application/json")
            .timeout(Duration.ofSeconds(5))
            .POST(HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Read a notification through the API.
     * @param id the notification
     * @return the JSON view
     */
    public JsonNode status(UUID id) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(this.baseUrl + "/api/v1/notifications/" + id))
            .header("Authorization", "Bearer " + TOKEN)
            .timeout(Duration.ofSeconds(5))
            .GET()
            .build();
        HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new AssertionError("Expected 200 but got " + response.statusCode() + ": " + response.body());
        }
        return json.readTree(response.body());
    }

    /**
     * A stub of the push service's endpoint that matches only calls from these gateways.
     * @return the request pattern to stub
     */
    public static MappingBuilder upstream() {
        return WireMock.post(WireMock.urlEqualTo(UpstreamStub.PATH)).withHeader("X-API-Key", WireMock.equalTo(API_KEY));
    }

    /**
     * The calls these gateways made to the push service stub since it was last reset.
     * @return the calls, in no particular order
     */
    public static List<ServeEvent> upstreamRequests() {
        return UpstreamStub.server()
            .getAllServeEvents()
            .stream()
            .filter((event) -> API_KEY.equals(event.getRequest().getHeader("X-API-Key")))
            .toList();
    }

    /**
     * How many calls these gateways made for each notification, by the
     * {@code Idempotency-Key} header the gateway sets to the notification's id.
     * @param status count only calls answered with this status, or all when 0
     * @return the number of calls by notification id
     */
    public static Map<UUID, Long> upstreamRequestsById(int status) {
        return upstreamRequests().stream()
            .filter((event) -> status == 0 || event.getResponse().getStatus() == status)
            .collect(Collectors.groupingBy((event) -> UUID.fromString(event.getRequest().getHeader("Idempotency-Key")),
                    Collectors.counting()));
    }

    /**
     * Stop the gateway as a SIGTERM would: the web server, then the dispatcher, which
     * lets calls in flight finish and leaves everything else queued.
     */
    @Override
    public void close() {
        this.context.close();
    }

}
