package io.maspush.gateway.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.maspush.gateway.notification.Notification;
import io.maspush.gateway.notification.NotificationFixtures;
import io.maspush.gateway.notification.NotificationRepository;
import io.maspush.gateway.support.GatewayProcess;
import io.maspush.gateway.support.PostgresDatabase;
import io.maspush.gateway.support.UpstreamStub;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.jdbc.core.simple.JdbcClient;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two gateways sharing one PostgreSQL database, as replicas do: between them every
 * notification reaches the push service exactly once, and both do a share of the work.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TwoDispatchersOnPostgresTests {

    private static final int BACKLOG = 1000;

    private PostgresDatabase database;

    private GatewayProcess gatewayA;

    private GatewayProcess gatewayB;

    private JdbcClient jdbc;

    @BeforeAll
    void startTwoGatewaysOnOneDatabase() {
        this.database = PostgresDatabase.create();
        this.jdbc = JdbcClient.create(this.database.dataSource());
        // The URL carries the credentials: application.yml's H2 user must not replace
        // them. 8 calls per gateway (instead of 32) keep a loaded test machine from
        // failing calls in transport, which are retried and so sent twice.
        Map<String, String> postgres = Map.of("spring.datasource.username", "", "spring.datasource.password", "",
                "resilience4j.bulkhead.configs.push.max-concurrent-calls", "8");
        this.gatewayA = GatewayProcess.start(this.database.url(), "gateway-a", postgres);
        this.gatewayB = GatewayProcess.start(this.database.url(), "gateway-b", postgres);
    }

    @AfterAll
    void stop() {
        try {
            if (this.gatewayA != null) {
                this.gatewayA.close();
            }
        }
        finally {
            try {
                if (this.gatewayB != null) {
                    this.gatewayB.close();
                }
            }
            finally {
                this.database.close();
            }
        }
    }

    @BeforeEach
    void reset() {
        UpstreamStub.server().resetAll();
        this.jdbc.sql("delete from notification").update();
    }

    @Test
    void twoDispatchersDeliverABacklogWithEveryNotificationSentExactlyOnce() {
        UpstreamStub.server()
            .stubFor(GatewayProcess.upstream()
                .willReturn(aResponse().withStatus(200).withBody("{}").withFixedDelay(20)));
        double deliveredByABefore = delivered(this.gatewayA);
        double deliveredByBBefore = delivered(this.gatewayB);
        long callsBefore = upstreamCalls(this.gatewayA) + upstreamCalls(this.gatewayB);
        double failedBefore = failedAttempts(this.gatewayA) + failedAttempts(this.gatewayB);
        NotificationRepository repository = NotificationFixtures.repository(this.database.dataSource());
        Instant due = Instant.now().minusSeconds(1);
        List<UUID> ids = new ArrayList<>();

        // one transaction, so that both dispatchers find the whole backlog at once
        NotificationFixtures.transactions(this.database.dataSource()).executeWithoutResult((status) -> {
            for (int i = 0; i < BACKLOG; i++) {
                Notification notification = NotificationFixtures.queued(GatewayProcess.CLIENT_ID, due,
                        Duration.ofHours(1));
                repository.insert(notification, null, null, null);
                ids.add(notification.id());
            }
        });

        await().atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(100))
            .until(() -> countWithStatus("DELIVERED"), (delivered) -> delivered == BACKLOG);
        awaitIdle();

        assertThat(failedAttempts(this.gatewayA) + failedAttempts(this.gatewayB) - failedBefore)
            .as("attempts that failed and were retried (timeouts on an overloaded machine, not a claim race)")
            .isZero();
        Map<UUID, Long> calls = GatewayProcess.upstreamRequestsById(0);
        assertThat(calls.entrySet().stream().filter((entry) -> entry.getValue() != 1).toList())
            .as("notifications sent more than once")
            .isEmpty();
        assertThat(calls.keySet()).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(GatewayProcess.upstreamRequests()).hasSize(BACKLOG);
        double deliveredByA = delivered(this.gatewayA) - deliveredByABefore;
        double deliveredByB = delivered(this.gatewayB) - deliveredByBBefore;
        assertThat(deliveredByA + deliveredByB).isEqualTo(BACKLOG);
        assertThat(deliveredByA).isPositive();
        assertThat(deliveredByB).isPositive();
        assertThat(upstreamCalls(this.gatewayA) + upstreamCalls(this.gatewayB) - callsBefore).isEqualTo(BACKLOG);
        assertThat(this.jdbc.sql("""
                select count(*) from notification
                where status = 'DELIVERED' and attempts = 1 and lease_owner is null and delivered_at is not null
                """).query(Integer.class).single()).isEqualTo(BACKLOG);
    }

    @Test
    void aNotificationAcceptedByOneGatewayIsDeliveredAndReadThroughEither() throws Exception {
        UpstreamStub.server().stubFor(GatewayProcess.upstream().willReturn(aResponse().withStatus(200).withBody("{}")));

        UUID id = this.gatewayA.send(GatewayProcess.MINIMAL);

        JsonNode delivered = awaitStatus(this.gatewayB, id, "DELIVERED");
        assertThat(delivered.get("attempts").asInt()).isEqualTo(1);
        assertThat(delivered.get("deliveredAt").isNull()).isFalse();
        assertThat(this.gatewayA.status(id).get("status").asText()).isEqualTo("DELIVERED");
        awaitIdle();
        assertThat(GatewayProcess.upstreamRequestsById(0)).isEqualTo(Map.of(id, 1L));
    }

    @Test
    void aNotificationIsRetriedAfterA503AndThenDelivered() throws Exception {
        UpstreamStub.server()
            .stubFor(GatewayProcess.upstream()
                .inScenario("flaky")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503).withBody("busy"))
                .willSetStateTo("recovered"));
        UpstreamStub.server()
            .stubFor(GatewayProcess.upstream()
                .inScenario("flaky")
                .whenScenarioStateIs("recovered")
                .willReturn(aResponse().withStatus(200).withBody("{}")));

        UUID id = this.gatewayA.send(GatewayProcess.MINIMAL);

        JsonNode delivered = awaitStatus(this.gatewayB, id, "DELIVERED");
        assertThat(delivered.get("attempts").asInt()).isEqualTo(2);
        assertThat(delivered.get("lastError").isNull()).isTrue();
        awaitIdle();
        assertThat(GatewayProcess.upstreamRequests()).extracting((event) -> event.getResponse().getStatus())
            .containsExactlyInAnyOrder(503, 200);
        assertThat(GatewayProcess.upstreamRequestsById(0)).isEqualTo(Map.of(id, 2L));
    }

    private JsonNode awaitStatus(GatewayProcess gateway, UUID id, String status) {
        return await().atMost(Duration.ofSeconds(10))
            .pollInterval(Duration.ofMillis(20))
            .until(() -> gateway.status(id), (view) -> status.equals(view.path("status").asText()));
    }

    /**
     * Wait until neither gateway has a delivery in flight, so that a duplicate call still
     * under way would show in the stub's journal.
     */
    private void awaitIdle() {
        await().atMost(Duration.ofSeconds(10)).until(() -> idle(this.gatewayA) && idle(this.gatewayB));
    }

    private static boolean idle(GatewayProcess gateway) {
        Bulkhead bulkhead = gateway.bean(ResilienceRegistries.class).bulkhead("default");
        return bulkhead.getMetrics().getAvailableConcurrentCalls() == bulkhead.getMetrics()
            .getMaxAllowedConcurrentCalls();
    }

    private int countWithStatus(String status) {
        return this.jdbc.sql("select count(*) from notification where status = :status")
            .param("status", status)
            .query(Integer.class)
            .single();
    }

    private static double delivered(GatewayProcess gateway) {
        return gateway.bean(MeterRegistry.class)
            .find("push.notifications.completed")
            .tag("status", "delivered")
            .counters()
            .stream()
            .mapToDouble(Counter::count)
            .sum();
    }

    private static double failedAttempts(GatewayProcess gateway) {
        return gateway.bean(MeterRegistry.class)
            .find("push.delivery.attempts")
            .counters()
            .stream()
            .filter((counter) -> !"success".equals(counter.getId().getTag("outcome")))
            .mapToDouble(Counter::count)
            .sum();
    }

    private static long upstreamCalls(GatewayProcess gateway) {
        return gateway.bean(MeterRegistry.class)
            .find("push.upstream.requests")
            .timers()
            .stream()
            .mapToLong(Timer::count)
            .sum();
    }

}
