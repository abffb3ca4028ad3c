package io.maspush.gateway.relay;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.maspush.gateway.secret.Secret;
import io.maspush.gateway.support.GatewayProcess;
import io.maspush.gateway.support.UpstreamStub;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.jdbc.core.simple.JdbcClient;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A message relayed in queue mode is as durable as any notification: what one gateway
 * accepted but could not deliver, the next one started on the same database delivers,
 * with the key of the environment and the caller's body.
 */
class RelayQueueRestartTests {

    private static final String TOKEN = "queued-relay-token-0123456789";

    private static final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path dataDir;

    @BeforeEach
    void resetUpstream() {
        UpstreamStub.server().resetAll();
    }

    @Test
    void queuedRelayedMessagesSurviveARestart() throws Exception {
        answer(503);
        List<UUID> ids = new ArrayList<>();
        List<String> bodies = new ArrayList<>();
        try (GatewayProcess first = start("relay-first")) {
            for (int i = 0; i < 5; i++) {
                String body = "{\"apiKey\": \"" + TOKEN + "\", \"users\": [\"WILSON\"], \"message\": \"Work order "
                        + (1040 + i) + "\"}";
                HttpResponse<String> accepted = first.post("/pushnotification/sendMessage", Map.of("X-API-Key", TOKEN),
                        body);
                assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(202);
                ids.add(UUID.fromString(json.readTree(accepted.body()).get("id").asText()));
                bodies.add(body.replace(TOKEN, GatewayProcess.API_KEY));
            }
            JdbcClient jdbc = first.bean(JdbcClient.class);
            await().atMost(Duration.ofSeconds(10))
                .until(() -> jdbc.sql("select count(*) from notification where attempts > 0")
                    .query(Integer.class)
                    .single() == ids.size());
        }

        answer(200);
        try (GatewayProcess second = start("relay-second")) {
            JdbcClient jdbc = second.bean(JdbcClient.class);
            await().atMost(Duration.ofSeconds(15))
                .until(() -> jdbc.sql("select count(*) from notification where status = 'DELIVERED' and api = 'relay'")
                    .query(Integer.class)
                    .single() == ids.size());
        }
        List<String> delivered = GatewayProcess.upstreamRequests()
            .stream()
            .filter((event) -> event.getResponse().getStatus() == 200)
            .map(ServeEvent::getRequest)
            .map((request) -> new String(request.getBody(), StandardCharsets.UTF_8))
            .toList();
        assertThat(delivered).containsExactlyInAnyOrderElementsOf(bodies);
        assertThat(GatewayProcess.upstreamRequestsById(200).keySet()).containsExactlyInAnyOrderElementsOf(ids);
    }

    private GatewayProcess start(String instanceId) {
        return GatewayProcess.start("jdbc:h2:file:" + this.dataDir.resolve("gateway").toAbsolutePath(), instanceId,
                Map.of("gateway.clients[1].id", "manage", "gateway.clients[1].token-sha256", Secret.sha256Hex(TOKEN),
                        "gateway.clients[1].roles", "RELAY", "gateway.clients[1].relay-mode", "QUEUE"));
    }

    private static void answer(int status) {
        UpstreamStub.server()
            .stubFor(GatewayProcess.upstream().willReturn(aResponse().withStatus(status).withBody("{}")));
    }

}
