package io.maspush.gateway.security;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import io.maspush.gateway.GatewayApplication;
import io.maspush.gateway.secret.Secret;
import io.maspush.gateway.support.UpstreamStub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Actuator answers only on the management port, with health, info and Prometheus alone;
 * the API port serves nothing of it, answers with the headers a security review expects,
 * and starts only with a client configured.
 */
class ManagementPortTests {

    private static final String TOKEN = "management-test-token-0000";

    private static ConfigurableApplicationContext gateway;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() {
        gateway = new SpringApplicationBuilder(GatewayApplication.class).run("--server.port=0",
                "--management.server.port=0", "--spring.datasource.url=jdbc:h2:mem:management;DB_CLOSE_DELAY=-1",
                "--gateway.push.url=" + UpstreamStub.url(), "--gateway.push.allow-insecure-url=true",
                "--gateway.push.api-key=management-key", "--gateway.clients[0].id=sender",
                "--gateway.clients[0].token-sha256=" + Secret.sha256Hex(TOKEN));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void servesHealthInfoAndPrometheusOnTheManagementPortOnly() throws Exception {
        assertThat(get(managementPort(), "/actuator/health/liveness", null).statusCode()).isEqualTo(200);
        assertThat(get(managementPort(), "/actuator/health/readiness", null).statusCode()).isEqualTo(200);
        assertThat(get(managementPort(), "/actuator/info", null).statusCode()).isEqualTo(200);
        assertThat(get(managementPort(), "/actuator/prometheus", null).body()).contains("push_notifications_queued");
        for (String hidden : new String[] { "/actuator/env", "/actuator/configprops", "/actuator/heapdump",
                "/actuator/threaddump", "/actuator/beans", "/actuator/loggers" }) {
            assertThat(get(managementPort(), hidden, null).statusCode()).as(hidden).isIn(401, 404);
            assertThat(get(managementPort(), hidden, TOKEN).statusCode()).as(hidden).isEqualTo(404);
        }
        assertThat(get(apiPort(), "/actuator/health", null).statusCode()).isEqualTo(404);
        assertThat(get(apiPort(), "/actuator/health", TOKEN).statusCode()).isEqualTo(404);
        assertThat(get(apiPort(), "/actuator/prometheus", TOKEN).statusCode()).isEqualTo(404);
    }

    @Test
    void answersWithSecurityHeadersNoCorsAndNoServerBanner() throws Exception {
        HttpRequest request = HttpRequest
            .newBuilder(URI.create("http://localhost:" + apiPort() + "/api/v1/notifications/x"))
            .header("Authorization", "Bearer " + TOKEN)
            .header("Origin", "https://evil.example")
            .build();
        HttpResponse<String> response = this.http.send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(response.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(response.headers().firstValue("Cache-Control").orElse("")).contains("no-store");
        assertThat(response.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
        assertThat(response.headers().firstValue("Server")).isEmpty();
    }

    @Test
    void refusesToStartWithoutAnyClientSayingHowToConfigureOne() {
        assertThatThrownBy(() -> new SpringApplicationBuilder(GatewayApplication.class)
            .run("--server.port=0", "--management.server.port=0",
                    "--spring.datasource.url=jdbc:h2:mem:noclients;DB_CLOSE_DELAY=-1")
            .close()).hasStackTraceContaining("No client is configured")
            .hasStackTraceContaining("gateway.clients[0].token-sha256");
    }

    private HttpResponse<String> get(int port, String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int apiPort() {
        return Integer.parseInt(gateway.getEnvironment().getProperty("local.server.port"));
    }

    private static int managementPort() {
        return Integer.parseInt(gateway.getEnvironment().getProperty("local.management.port"));
    }

}
