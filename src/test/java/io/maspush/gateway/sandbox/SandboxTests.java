package io.maspush.gateway.sandbox;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sandbox profile runs end to end over real HTTP: the printed demo token sends a
 * notification that the in-process stand-in receives, and a stand-in told to fail makes
 * the gateway retry.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.DEFINED_PORT,
        properties = { "spring.datasource.url=jdbc:h2:mem:sandbox-${random.uuid};DB_CLOSE_DELAY=-1",
                "management.server.port=0", "gateway.delivery.initial-backoff=20ms",
                "gateway.delivery.max-backoff=100ms", "gateway.delivery.sweep-interval=50ms",
                "resilience4j.circuitbreaker.configs.push.wait-duration-in-open-state=500ms" })
@ActiveProfiles("sandbox")
@ExtendWith(OutputCaptureExtension.class)
class SandboxTests {

    private static final Pattern TOKEN = Pattern.compile("token: (sandbox-[A-Za-z0-9_-]+)");

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @Autowired
    private ObjectMapper json;

    @DynamicPropertySource
    static void port(DynamicPropertyRegistry registry) throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            int port = socket.getLocalPort();
            registry.add("server.port", () -> port);
        }
    }

    @Autowired
    private org.springframework.core.env.Environment environment;

    @Test
    void printedDemoTokenSendsANotificationThatTheStandInReceives(CapturedOutput output) throws Exception {
        String token = demoToken(output);
        call("DELETE", "/sandbox/messages", null, null);

        HttpResponse<String> accepted = call("POST", "/api/v1/notifications", token, """
                {"recipients": ["WILSON"], "title": "Work order 1042 assigned", "body": "Pump P-100 leaks"}""");

        assertThat(accepted.statusCode()).isEqualTo(202);
        String id = this.json.readTree(accepted.body()).get("id").asText();
        JsonNode messages = await().atMost(Duration.ofSeconds(5))
            .until(() -> this.json.readTree(call("GET", "/sandbox/messages", null, null).body()),
                    (list) -> list.size() == 1);
        assertThat(messages.get(0).get("idempotencyKey").asText()).isEqualTo(id);
        assertThat(messages.get(0).get("message").get("title").asText()).isEqualTo("Work order 1042 assigned");
        assertThat(output.getOut()).doesNotContain("sandbox-api-key");
    }

    @Test
    void standInToldToFailMakesTheGatewayRetry(CapturedOutput output) throws Exception {
        String token = demoToken(output);
        call("DELETE", "/sandbox/messages", null, null);
        HttpResponse<String> changed = call("PUT", "/sandbox/behaviour", null, "{\"status\": 503, \"seconds\": 1}");
        assertThat(changed.statusCode()).isEqualTo(200);

        HttpResponse<String> accepted = call("POST", "/api/v1/notifications", token, """
                {"recipients": ["WILSON"], "title": "t", "body": "b"}""");
        String id = this.json.readTree(accepted.body()).get("id").asText();

        JsonNode delivered = await().atMost(Duration.ofSeconds(10))
            .until(() -> this.json.readTree(call("GET", "/api/v1/notifications/" + id, token, null).body()),
                    (node) -> "DELIVERED".equals(node.get("status").asText()));
        assertThat(delivered.get("attempts").asInt()).isGreaterThan(1);
    }

    private String demoToken(CapturedOutput output) {
        Matcher matcher = TOKEN.matcher(output.getOut());
        assertThat(matcher.find()).as("the demo token is printed at startup").isTrue();
        return matcher.group(1);
    }

    private HttpResponse<String> call(String method, String path, String token, String body) throws Exception {
        String port = this.environment.getProperty("local.server.port");
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
            .method(method,
                    (body != null) ? HttpRequest.BodyPublishers.ofString(body) : HttpRequest.BodyPublishers.noBody())
            .header("Content-Type", "application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

}
