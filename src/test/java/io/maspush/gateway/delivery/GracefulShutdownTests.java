package io.maspush.gateway.delivery;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.UUID;

import io.maspush.gateway.GatewayApplication;
import io.maspush.gateway.notification.NotificationRequest;
import io.maspush.gateway.notification.NotificationService;
import io.maspush.gateway.secret.Secret;
import io.maspush.gateway.security.GatewayClient;
import io.maspush.gateway.security.Role;
import io.maspush.gateway.support.UpstreamStub;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A stopping gateway lets the calls it has in flight finish, and records their outcome,
 * before it exits.
 */
class GracefulShutdownTests {

    @TempDir
    Path dataDir;

    @Test
    void letsAnInFlightDeliveryFinishAndRecordsItBeforeStopping() throws Exception {
        UpstreamStub.server().resetAll();
        UpstreamStub.server()
            .stubFor(post(urlEqualTo(UpstreamStub.PATH)).willReturn(aResponse().withStatus(200).withFixedDelay(800)));
        String url = "jdbc:h2:file:" + this.dataDir.resolve("gateway");
        // Arguments, not builder properties: those would rank below application.yml.
        ConfigurableApplicationContext context = new SpringApplicationBuilder(GatewayApplication.class).run(
                "--server.port=0", "--management.server.port=0", "--spring.datasource.url=" + url,
                "--gateway.push.url=" + UpstreamStub.url(), "--gateway.push.allow-insecure-url=true",
                "--gateway.push.api-key=graceful-key", "--gateway.delivery.shutdown-grace=5s",
                "--gateway.clients[0].id=sender",
                "--gateway.clients[0].token-sha256=" + Secret.sha256Hex("graceful-token"));
        UUID id;
        try {
            GatewayClient sender = new GatewayClient("sender", java.util.Set.of(Role.SEND), "default");
            id = context.getBean(NotificationService.class)
                .accept(sender,
                        new NotificationRequest(java.util.List.of("WILSON"), "t", "b", null, null, null, null, null),
                        null)
                .notification()
                .id();
            await().atMost(Duration.ofSeconds(5))
                .until(() -> UpstreamStub.server().getAllServeEvents().size() == 1 || inFlight(context));
        }
        finally {
            context.close();
        }

        try (Connection connection = DriverManager.getConnection(url, "sa", "");
                ResultSet row = connection.createStatement()
                    .executeQuery("select status, attempts from notification where id = '" + id + "'")) {
            assertThat(row.next()).isTrue();
            assertThat(row.getString("status")).isEqualTo("DELIVERED");
            assertThat(row.getInt("attempts")).isEqualTo(1);
        }
    }

    private static boolean inFlight(ConfigurableApplicationContext context) {
        return context.getBean(ResilienceRegistries.class)
            .bulkhead("default")
            .getMetrics()
            .getAvailableConcurrentCalls() < context.getBean(ResilienceRegistries.class)
                .bulkhead("default")
                .getBulkheadConfig()
                .getMaxConcurrentCalls();
    }

}
