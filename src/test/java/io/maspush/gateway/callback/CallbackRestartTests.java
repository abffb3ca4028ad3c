package io.maspush.gateway.callback;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import com.github.tomakehurst.wiremock.client.WireMock;
import io.maspush.gateway.support.GatewayProcess;
import io.maspush.gateway.support.UpstreamStub;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.jdbc.core.simple.JdbcClient;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A callback owed when a gateway stops is sent by the next one: it is stored with the
 * final status, not held in memory.
 */
class CallbackRestartTests {

    private static final String PATH = "/callbacks/restart";

    @TempDir
    Path dataDir;

    @BeforeEach
    void resetUpstream() {
        UpstreamStub.server().resetAll();
        UpstreamStub.server().stubFor(GatewayProcess.upstream().willReturn(aResponse().withStatus(200)));
    }

    @Test
    void aCallbackTheReceiverRefusedBeforeAStopIsSentAfterTheRestart() throws Exception {
        UpstreamStub.server().stubFor(WireMock.post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(503)));
        UUID id;
        try (GatewayProcess first = start("callbacks-first")) {
            id = first.send(GatewayProcess.MINIMAL);
            JdbcClient jdbc = first.bean(JdbcClient.class);
            await().atMost(Duration.ofSeconds(10))
                .until(() -> jdbc.sql("select attempts from notification_callback where notification_id = :id")
                    .param("id", id)
                    .query(Integer.class)
                    .optional()
                    .orElse(0) >= 1);
        }

        UpstreamStub.server().stubFor(WireMock.post(urlEqualTo(PATH)).willReturn(aResponse().withStatus(200)));
        try (GatewayProcess second = start("callbacks-second")) {
            JdbcClient jdbc = second.bean(JdbcClient.class);
            await().atMost(Duration.ofSeconds(10))
                .until(() -> jdbc.sql("select status from notification_callback where notification_id = :id")
                    .param("id", id)
                    .query(String.class)
                    .single()
                    .equals("DELIVERED"));
        }
        assertThat(UpstreamStub.server()
            .findAll(postRequestedFor(urlEqualTo(PATH)).withHeader("webhook-id", WireMock.equalTo(id.toString()))))
            .hasSizeGreaterThanOrEqualTo(2)
            .last()
            .satisfies((request) -> assertThat(request.getBodyAsString()).contains("\"status\":\"DELIVERED\""));
    }

    private GatewayProcess start(String instanceId) {
        return GatewayProcess.start("jdbc:h2:file:" + this.dataDir.resolve("gateway").toAbsolutePath(), instanceId,
                Map.of("gateway.clients[0].callback-url", "http://localhost:" + UpstreamStub.server().port() + PATH,
                        "gateway.clients[0].callback-secret", "restart-callback-secret-0123456789",
                        "gateway.callbacks.initial-backoff", "200ms", "gateway.callbacks.max-backoff", "1s",
                        "gateway.callbacks.sweep-interval", "50ms", "gateway.callbacks.response-timeout", "2s",
                        "gateway.callbacks.claim-lease", "10s"));
    }

}
