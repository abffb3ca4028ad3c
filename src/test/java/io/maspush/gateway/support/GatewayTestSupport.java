package io.maspush.gateway.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.maspush.gateway.delivery.EnvironmentGates;
import io.maspush.gateway.secret.Secret;
import org.junit.jupiter.api.BeforeEach;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Primary;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

/**
 * The base of tests that boot the whole gateway against the WireMock push service, with
 * an in-memory database and delivery timings shortened from seconds to milliseconds.
 * Every subclass shares one cached context.
 */
@SpringBootTest(properties = { "spring.datasource.url=jdbc:h2:mem:gateway-${random.uuid};DB_CLOSE_DELAY=-1",
        "management.server.port=", "gateway.security.rate-limit.requests-per-second=100000",
        "gateway.security.rate-limit.burst=100000", "gateway.push.api-key=" + GatewayTestSupport.API_KEY,
        "gateway.push.allow-insecure-url=true", "gateway.push.connect-timeout=1s", "gateway.push.response-timeout=2s",
        "gateway.delivery.max-attempts=4", "gateway.delivery.initial-backoff=20ms",
        "gateway.delivery.max-backoff=100ms", "gateway.delivery.sweep-interval=50ms", "gateway.delivery.claim-lease=5s",
        "gateway.delivery.pause-probe-interval=300ms", "gateway.relay.deadline=1s", "gateway.callbacks.max-attempts=4",
        "gateway.callbacks.initial-backoff=20ms", "gateway.callbacks.max-backoff=100ms",
        "gateway.callbacks.sweep-interval=50ms", "gateway.callbacks.connect-timeout=1s",
        "gateway.callbacks.response-timeout=1s", "gateway.callbacks.claim-lease=5s", "gateway.clients[0].id=sender",
        "gateway.clients[0].roles=SEND", "gateway.clients[1].id=other-sender", "gateway.clients[1].roles=SEND",
        "gateway.clients[2].id=admin", "gateway.clients[2].roles=ADMIN",
        "resilience4j.circuitbreaker.configs.push.minimum-number-of-calls=6",
        "resilience4j.circuitbreaker.configs.push.sliding-window-size=6",
        "resilience4j.circuitbreaker.configs.push.wait-duration-in-open-state=1s" })
@AutoConfigureMockMvc
@AutoConfigureObservability
@Import(GatewayTestSupport.ClockConfiguration.class)
public abstract class GatewayTestSupport {

    public static final String API_KEY = "test-api-key-0123456789";

    public static final String SENDER_TOKEN = "sender-token-abcdefghijklmnop";

    public static final String OTHER_SENDER_TOKEN = "other-sender-token-qrstuvwxyz";

    public static final String ADMIN_TOKEN = "admin-token-0987654321";

    /** A client limited to 1 request a second with a burst of 2. */
    public static final String LIMITED_TOKEN = "limited-token-1357924680";

    /** Client {@code manage}: role RELAY, relaying in the default sync mode. */
    public static final String RELAY_TOKEN = "manage-relay-token-24680135";

    /** Client {@code manage-queued}: roles RELAY and SEND, relaying in queue mode. */
    public static final String QUEUED_RELAY_TOKEN = "manage-queued-token-11223344";

    /**
     * Client {@code notified}: role SEND, with status callbacks signed with
     * {@link #CALLBACK_SECRET}.
     */
    public static final String NOTIFIED_TOKEN = "notified-token-5566778899";

    public static final String CALLBACK_SECRET = "callback-secret-for-tests-0123456789";

    /**
     * Where the {@code notified} client's callbacks go unless a notification names
     * another URL.
     */
    public static final String CALLBACK_PATH = "/callbacks/notified";

    /**
     * A port nothing listens on, allowed as a callback prefix of the {@code notified}
     * client.
     */
    public static final int CLOSED_PORT = closedPort();

    public static final String MINIMAL = """
            {"recipients": ["WILSON"], "title": "Work order 1042 assigned", "body": "Pump P-100 leaks"}""";

    @Autowired
    protected MockMvc mvc;

    @Autowired
    protected ObjectMapper json;

    @Autowired
    protected JdbcClient jdbc;

    @Autowired
    protected AdjustableClock clock;

    @Autowired
    protected EnvironmentGates gates;

    @Autowired
    protected CircuitBreakerRegistry circuitBreakers;

    @DynamicPropertySource
    static void upstream(DynamicPropertyRegistry registry) {
        registry.add("gateway.push.url", UpstreamStub::url);
        // Spring Boot binds an indexed list from one property source only, so every
        // client key is registered here.
        registry.add("gateway.clients[0].id", () -> "sender");
        registry.add("gateway.clients[0].roles", () -> "SEND");
        registry.add("gateway.clients[1].id", () -> "other-sender");
        registry.add("gateway.clients[1].roles", () -> "SEND");
        registry.add("gateway.clients[2].id", () -> "admin");
        registry.add("gateway.clients[2].roles", () -> "ADMIN");
        registry.add("gateway.clients[3].id", () -> "limited");
        registry.add("gateway.clients[3].roles", () -> "SEND");
        registry.add("gateway.clients[3].token-sha256", () -> Secret.sha256Hex(LIMITED_TOKEN));
        registry.add("gateway.clients[3].rate-limit.requests-per-second", () -> "1");
        registry.add("gateway.clients[3].rate-limit.burst", () -> "2");
        registry.add("gateway.clients[0].token-sha256", () -> Secret.sha256Hex(SENDER_TOKEN));
        registry.add("gateway.clients[1].token-sha256", () -> Secret.sha256Hex(OTHER_SENDER_TOKEN));
        registry.add("gateway.clients[2].token-sha256", () -> Secret.sha256Hex(ADMIN_TOKEN));
        registry.add("gateway.clients[4].id", () -> "manage");
        registry.add("gateway.clients[4].roles", () -> "RELAY");
        registry.add("gateway.clients[4].token-sha256", () -> Secret.sha256Hex(RELAY_TOKEN));
        registry.add("gateway.clients[5].id", () -> "manage-queued");
        registry.add("gateway.clients[5].roles", () -> "RELAY,SEND");
        registry.add("gateway.clients[5].relay-mode", () -> "QUEUE");
        registry.add("gateway.clients[5].token-sha256", () -> Secret.sha256Hex(QUEUED_RELAY_TOKEN));
        registry.add("gateway.clients[6].id", () -> "notified");
        registry.add("gateway.clients[6].roles", () -> "SEND");
        registry.add("gateway.clients[6].token-sha256", () -> Secret.sha256Hex(NOTIFIED_TOKEN));
        registry.add("gateway.clients[6].callback-url", () -> callbackUrl(CALLBACK_PATH));
        registry.add("gateway.clients[6].callback-url-prefixes[0]", () -> callbackUrl("/callbacks/"));
        registry.add("gateway.clients[6].callback-url-prefixes[1]", () -> "http://127.0.0.1:" + CLOSED_PORT + "/");
        registry.add("gateway.clients[6].callback-secret", () -> CALLBACK_SECRET);
    }

    /**
     * A callback URL on the WireMock server that stands in for the push service.
     * @param path the path
     * @return the URL
     */
    public static String callbackUrl(String path) {
        return "http://localhost:" + UpstreamStub.server().port() + path;
    }

    private static int closedPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    @BeforeEach
    void resetGateway() {
        await().atMost(Duration.ofSeconds(5)).until(() -> !this.gates.get("default").isHeldAt(this.clock.instant()));
        UpstreamStub.server().resetAll();
        UpstreamStub.server()
            .stubFor(post(urlEqualTo(UpstreamStub.PATH)).willReturn(aResponse().withStatus(200).withBody("{}")));
        this.clock.reset();
        this.gates.resume("default", "test reset");
        this.circuitBreakers.circuitBreaker("default").reset();
        this.jdbc.sql("delete from notification_callback").update();
        this.jdbc.sql("delete from notification").update();
    }

    protected MockHttpServletRequestBuilder sending(MockHttpServletRequestBuilder request, String body) {
        return request.header("Authorization", "Bearer " + SENDER_TOKEN)
            .contentType(MediaType.APPLICATION_JSON)
            .content(body);
    }

    /**
     * Send a notification as the {@code sender} client and return its id.
     * @param body the JSON body
     * @return the id
     */
    protected UUID send(String body) throws Exception {
        MvcResult result = this.mvc
            .perform(sending(
                    org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post("/api/v1/notifications"),
                    body))
            .andReturn();
        if (result.getResponse().getStatus() != 202) {
            throw new AssertionError("Expected 202 but got " + result.getResponse().getStatus() + ": "
                    + result.getResponse().getContentAsString());
        }
        return UUID.fromString(this.json.readTree(result.getResponse().getContentAsString()).get("id").asText());
    }

    protected JsonNode status(UUID id) throws Exception {
        String body = this.mvc
            .perform(get("/api/v1/notifications/" + id).header("Authorization", "Bearer " + SENDER_TOKEN))
            .andReturn()
            .getResponse()
            .getContentAsString();
        return this.json.readTree(body);
    }

    protected JsonNode awaitStatus(UUID id, String status) {
        return awaitStatus(id, SENDER_TOKEN, status);
    }

    /**
     * Wait until a notification, read as the client with this token, has a status.
     * @param id the notification
     * @param token the client's token
     * @param status the status
     * @return the notification as {@code GET} shows it
     */
    protected JsonNode awaitStatus(UUID id, String token, String status) {
        return await().atMost(Duration.ofSeconds(10))
            .pollInterval(Duration.ofMillis(20))
            .until(() -> this.json.readTree(
                    this.mvc.perform(get("/api/v1/notifications/" + id).header("Authorization", "Bearer " + token))
                        .andReturn()
                        .getResponse()
                        .getContentAsString()),
                    (node) -> status.equals(node.path("status").asText()));
    }

    @TestConfiguration(proxyBeanMethods = false)
    static class ClockConfiguration {

        @Bean
        @Primary
        AdjustableClock adjustableClock() {
            return new AdjustableClock();
        }

    }

}
