package io.maspush.gateway.delivery;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariDataSource;
import io.maspush.gateway.notification.Notification;
import io.maspush.gateway.notification.NotificationFixtures;
import io.maspush.gateway.notification.NotificationRepository;
import io.maspush.gateway.notification.NotificationRepository.Lease;
import io.maspush.gateway.support.GatewayProcess;
import io.maspush.gateway.support.UpstreamStub;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.jdbc.core.simple.JdbcClient;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Notifications survive the gateway: what one process accepted but could not deliver, the
 * next process started on the same H2 file delivers, whether the first stopped cleanly
 * (and handed back its claims) or died holding them (and its leases have to lapse).
 */
class RestartTests {

    private static final int BACKLOG = 50;

    @TempDir
    Path dataDir;

    @BeforeEach
    void resetUpstream() {
        UpstreamStub.server().resetAll();
    }

    @Test
    void aBacklogLeftQueuedByAStoppedGatewayIsDeliveredByTheNextOne() throws Exception {
        answerEverything(503);
        List<UUID> ids = new ArrayList<>();
        try (GatewayProcess first = GatewayProcess.start(databaseUrl(), "gateway-first", Map.of())) {
            for (int i = 0; i < BACKLOG; i++) {
                ids.add(first.send(GatewayProcess.MINIMAL));
            }
            JdbcClient jdbc = first.bean(JdbcClient.class);
            await().atMost(Duration.ofSeconds(10))
                .until(() -> jdbc.sql("select sum(attempts) from notification").query(Integer.class).single(),
                        (attempts) -> attempts != null && attempts >= 10);
        }
        int failedCalls = GatewayProcess.upstreamRequests().size();

        Map<UUID, Integer> attemptsWhenStopped;
        try (HikariDataSource dataSource = fileDataSource()) {
            JdbcClient stopped = JdbcClient.create(dataSource);
            attemptsWhenStopped = stopped.sql("select id, attempts from notification")
                .query((rs, rowNum) -> Map.entry(rs.getObject("id", UUID.class), rs.getInt("attempts")))
                .list()
                .stream()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
            assertThat(stopped.sql("select count(*) from notification where status = 'QUEUED' and lease_owner is null")
                .query(Integer.class)
                .single()).isEqualTo(BACKLOG);
        }
        assertThat(attemptsWhenStopped.keySet()).containsExactlyInAnyOrderElementsOf(ids);
        assertThat(attemptsWhenStopped.values().stream().mapToInt(Integer::intValue).sum()).isEqualTo(failedCalls);
        assertThat(GatewayProcess.upstreamRequestsById(0).keySet()).isSubsetOf(ids);

        answerEverything(200);
        try (GatewayProcess second = GatewayProcess.start(databaseUrl(), "gateway-second", Map.of())) {
            awaitDelivered(second.bean(JdbcClient.class), BACKLOG);
            for (UUID id : ids) {
                JsonNode view = second.status(id);
                assertThat(view.get("status").asText()).isEqualTo("DELIVERED");
                assertThat(view.get("attempts").asInt()).isEqualTo(attemptsWhenStopped.get(id) + 1);
            }
        }
        assertThat(GatewayProcess.upstreamRequestsById(200)).isEqualTo(once(ids));
        assertThat(GatewayProcess.upstreamRequests()).hasSize(failedCalls + BACKLOG);
    }

    @Test
    void notificationsClaimedByAGatewayThatDiedAreDeliveredOnceItsLeasesLapse() throws Exception {
        Instant crashed = Instant.now().minusSeconds(30);
        List<UUID> lapsed;
        List<UUID> unclaimed;
        List<UUID> stillLeased;
        try (HikariDataSource dataSource = fileDataSource()) {
            Flyway.configure().dataSource(dataSource).load().migrate();
            NotificationRepository repository = NotificationFixtures.repository(dataSource);
            lapsed = insert(repository, 10, crashed, new Lease("gateway-dead", Instant.now().minusMillis(1)));
            unclaimed = insert(repository, 5, crashed, null);
            stillLeased = insert(repository, 10, crashed,
                    new Lease("gateway-dead", Instant.now().plus(Duration.ofHours(1))));
        }
        List<UUID> deliverable = new ArrayList<>(lapsed);
        deliverable.addAll(unclaimed);
        answerEverything(200);

        try (GatewayProcess next = GatewayProcess.start(databaseUrl(), "gateway-next", Map.of())) {
            JdbcClient jdbc = next.bean(JdbcClient.class);
            awaitDelivered(jdbc, deliverable.size());
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> jdbc.sql("""
                    select count(*) from notification
                    where status = 'QUEUED' and lease_owner = 'gateway-dead' and attempts = 0
                    """).query(Integer.class).single() == stillLeased.size());
            assertThat(GatewayProcess.upstreamRequestsById(0)).isEqualTo(once(deliverable));

            jdbc.sql("update notification set lease_until = :lapsed where lease_owner = 'gateway-dead'")
                .param("lapsed", Instant.now().minusMillis(1).atOffset(ZoneOffset.UTC))
                .update();

            awaitDelivered(jdbc, deliverable.size() + stillLeased.size());
            for (UUID id : stillLeased) {
                assertThat(next.status(id).get("attempts").asInt()).isEqualTo(1);
            }
        }
        List<UUID> all = new ArrayList<>(deliverable);
        all.addAll(stillLeased);
        assertThat(GatewayProcess.upstreamRequestsById(0)).isEqualTo(once(all));
    }

    private static List<UUID> insert(NotificationRepository repository, int count, Instant createdAt, Lease lease) {
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Notification notification = NotificationFixtures.queued(GatewayProcess.CLIENT_ID, createdAt,
                    Duration.ofHours(1));
            repository.insert(notification, null, null, lease);
            ids.add(notification.id());
        }
        return ids;
    }

    private static void awaitDelivered(JdbcClient jdbc, int expected) {
        await().atMost(Duration.ofSeconds(15))
            .pollInterval(Duration.ofMillis(50))
            .until(() -> jdbc.sql("select count(*) from notification where status = 'DELIVERED'")
                .query(Integer.class)
                .single(), (delivered) -> delivered == expected);
    }

    private static Map<UUID, Long> once(List<UUID> ids) {
        Set<UUID> distinct = new HashSet<>(ids);
        assertThat(distinct).hasSameSizeAs(ids);
        return new HashMap<>(distinct.stream().collect(Collectors.toMap(Function.identity(), (id) -> 1L)));
    }

    private static void answerEverything(int status) {
        UpstreamStub.server()
            .stubFor(GatewayProcess.upstream().willReturn(aResponse().withStatus(status).withBody("{}")));
    }

    private String databaseUrl() {
        return "jdbc:h2:file:" + this.dataDir.resolve("gateway").toAbsolutePath();
    }

    private HikariDataSource fileDataSource() {
        HikariDataSource dataSource = new HikariDataSource();
        dataSource.setJdbcUrl(databaseUrl());
        dataSource.setUsername("sa");
        dataSource.setMaximumPoolSize(2);
        return dataSource;
    }

}
