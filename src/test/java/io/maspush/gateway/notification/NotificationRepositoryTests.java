package io.maspush.gateway.notification;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.zaxxer.hikari.HikariDataSource;
import io.maspush.gateway.notification.NotificationRepository.Lease;
import io.maspush.gateway.push.RelayedBody;
import io.maspush.gateway.support.PostgresDatabase;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The repository's SQL against both databases the gateway supports: H2 (in memory) and
 * PostgreSQL, each migrated by the application's Flyway scripts. Every timestamp is a
 * fixed instant, as the repository never uses the database's clock.
 */
class NotificationRepositoryTests {

    private static final Instant NOW = Instant.parse("2030-06-01T12:00:00.123456Z");

    private static final String ENVIRONMENT = "default";

    @Nested
    class OnH2 extends Contract {

        private HikariDataSource dataSource;

        @Override
        DataSource openDatabase() {
            this.dataSource = new HikariDataSource();
            this.dataSource.setJdbcUrl("jdbc:h2:mem:repository-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
            this.dataSource.setUsername("sa");
            this.dataSource.setMaximumPoolSize(8);
            return this.dataSource;
        }

        @Override
        void closeDatabase() {
            JdbcClient.create(this.dataSource).sql("shutdown").update();
            this.dataSource.close();
        }

    }

    @Nested
    class OnPostgres extends Contract {

        private PostgresDatabase database;

        @Override
        DataSource openDatabase() {
            this.database = PostgresDatabase.create();
            return this.database.dataSource();
        }

        @Override
        void closeDatabase() {
            this.database.close();
        }

        /**
         * PostgreSQL locks rows as it reads them and skips only rows another transaction
         * holds, so two claims at the same moment each fill their limit when there are
         * rows enough for both. H2 picks its limit of rows before skipping the locked
         * ones, so there the second of two simultaneous claims comes back (nearly) empty;
         * the drain test in {@link Contract} covers what the dispatcher relies on.
         */
        @Test
        void simultaneousClaimsEachFillTheirLimitWithDisjointRows() throws Exception {
            int rows = 200;
            ExecutorService threads = Executors.newFixedThreadPool(2);
            try {
                for (int round = 1; round <= 10; round++) {
                    Set<UUID> inserted = insertDue(rows);
                    CyclicBarrier start = new CyclicBarrier(2);
                    Future<List<Notification>> a = threads.submit(() -> claimHalf("claimer-a", rows, start));
                    Future<List<Notification>> b = threads.submit(() -> claimHalf("claimer-b", rows, start));
                    Set<UUID> claimedByA = ids(a.get(10, TimeUnit.SECONDS));
                    Set<UUID> claimedByB = ids(b.get(10, TimeUnit.SECONDS));

                    assertThat(claimedByA).as("round %d, claimer a", round).hasSize(rows / 2);
                    assertThat(claimedByB).as("round %d, claimer b", round).hasSize(rows / 2);
                    assertThat(intersection(claimedByA, claimedByB)).as("round %d", round).isEmpty();
                    Set<UUID> union = new HashSet<>(claimedByA);
                    union.addAll(claimedByB);
                    assertThat(union).as("round %d", round).isEqualTo(inserted);
                }
            }
            finally {
                threads.shutdownNow();
            }
        }

        private List<Notification> claimHalf(String owner, int rows, CyclicBarrier start) throws Exception {
            start.await(5, TimeUnit.SECONDS);
            return repository().claimDue(ENVIRONMENT, NOW, rows / 2, new Lease(owner, NOW.plusSeconds(60)));
        }

    }

    @TestInstance(TestInstance.Lifecycle.PER_CLASS)
    abstract static class Contract {

        private JdbcClient jdbc;

        private TransactionTemplate transactions;

        private NotificationRepository repository;

        abstract DataSource openDatabase() throws Exception;

        abstract void closeDatabase() throws Exception;

        @BeforeAll
        void migrate() throws Exception {
            DataSource dataSource = openDatabase();
            Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
            this.jdbc = JdbcClient.create(dataSource);
            this.transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
            this.repository = new NotificationRepository(new NamedParameterJdbcTemplate(dataSource), this.transactions,
                    new ObjectMapper().registerModule(new JavaTimeModule()), dataSource);
        }

        @AfterAll
        void close() throws Exception {
            closeDatabase();
        }

        @BeforeEach
        void empty() {
            this.jdbc.sql("delete from notification_callback").update();
            this.jdbc.sql("delete from notification").update();
        }

        @Test
        void insertThenFindByIdRoundTripsEveryField() {
            Map<String, String> data = new LinkedHashMap<>();
            data.put("recordType", "WORKORDER");
            data.put("recordId", "1042");
            data.put("quoted", "a \"quoted\" value, ünïcode and\nnew line");
            Notification full = new Notification(UUID.randomUUID(), "manage-prod", ENVIRONMENT,
                    NotificationStatus.DELIVERED, List.of("WILSON", "SMITH", "ÅSA"), "Work order 1042 assigned",
                    "Pump P-100 leaks at the north inlet", "ASSIGNMENT", Priority.HIGH, data, 3, "HTTP 503: busy",
                    Instant.parse("2030-01-02T03:04:05.123456Z"), Instant.parse("2030-01-02T03:04:06.000001Z"),
                    Instant.parse("2030-01-02T03:04:07.999999Z"), Instant.parse("2030-01-03T03:04:05.654321Z"),
                    Instant.parse("2030-01-02T03:04:08.100200Z"), "https://hooks.example.com/mas/status",
                    new RelayedBody("{\"key\":\"\",\"text\":\"ünïcode\",\"again\":\"\"}", List.of(8, 36)));
            Notification minimal = new Notification(UUID.randomUUID(), "manage-test", ENVIRONMENT,
                    NotificationStatus.QUEUED, List.of("WILSON"), "t", "b", null, Priority.NORMAL, null, 0, null,
                    Instant.parse("1999-12-31T23:59:59.000001Z"), Instant.parse("1999-12-31T23:59:59.000001Z"), null,
                    Instant.parse("2000-01-01T00:00:00Z"), Instant.parse("1999-12-31T23:59:59.000001Z"), null, null);

            this.repository.insert(full, "key-1", "f".repeat(64), new Lease("gateway-a", NOW.plusSeconds(60)));
            this.repository.insert(minimal, null, null, null);

            assertThat(this.repository.findById(full.id())).contains(full);
            assertThat(this.repository.findById(minimal.id())).contains(minimal);
            assertThat(this.repository.findById(UUID.randomUUID())).isEmpty();
            assertThat(this.repository.findByIdempotencyKey("manage-prod", "key-1")).hasValueSatisfying((earlier) -> {
                assertThat(earlier.notification()).isEqualTo(full);
                assertThat(earlier.requestHash()).isEqualTo("f".repeat(64));
            });
            assertThat(this.repository.findByIdempotencyKey("manage-test", "key-1")).isEmpty();
            assertThat(leaseOf(full.id())).isEqualTo(new Lease("gateway-a", NOW.plusSeconds(60)));
            assertThat(leaseOf(minimal.id())).isNull();
        }

        @Test
        void claimDueReturnsOnlyDueUnleasedQueuedRowsOldestFirstAtMostLimit() {
            UUID lapsed = insert(queued(NOW.minusSeconds(4)), new Lease("dead", NOW.minusMillis(1)));
            UUID first = insert(queued(NOW.minusSeconds(3)), null);
            UUID second = insert(queued(NOW.minusSeconds(2)), null);
            UUID third = insert(queued(NOW.minusSeconds(1)), null);
            UUID dueNow = insert(queued(NOW), null);
            insert(queued(NOW.plusMillis(1)), null);
            insert(queued(NOW.minusSeconds(5)), new Lease("alive", NOW.plusSeconds(10)));
            insert(withStatus(queued(NOW.minusSeconds(10)), NotificationStatus.DELIVERED), null);
            insert(withStatus(queued(NOW.minusSeconds(10)), NotificationStatus.FAILED), null);
            insert(withStatus(queued(NOW.minusSeconds(10)), NotificationStatus.EXPIRED), null);
            insert(inEnvironment(queued(NOW.minusSeconds(10)), "other"), null);
            Lease a = new Lease("claimer-a", NOW.plusSeconds(60));
            Lease b = new Lease("claimer-b", NOW.plusSeconds(90));

            List<Notification> firstClaim = this.repository.claimDue(ENVIRONMENT, NOW, 3, a);
            List<Notification> secondClaim = this.repository.claimDue(ENVIRONMENT, NOW, 10, b);
            List<Notification> thirdClaim = this.repository.claimDue(ENVIRONMENT, NOW, 10, b);

            assertThat(firstClaim).extracting(Notification::id).containsExactly(lapsed, first, second);
            assertThat(secondClaim).extracting(Notification::id).containsExactly(third, dueNow);
            assertThat(thirdClaim).isEmpty();
            for (UUID id : List.of(lapsed, first, second)) {
                assertThat(leaseOf(id)).isEqualTo(a);
            }
            for (UUID id : List.of(third, dueNow)) {
                assertThat(leaseOf(id)).isEqualTo(b);
            }
            assertThat(this.jdbc.sql("select count(*) from notification where lease_owner like 'claimer-%'")
                .query(Integer.class)
                .single()).isEqualTo(5);
        }

        @Test
        void concurrentClaimersGetDisjointSetsThatTogetherCoverEveryDueRow() throws Exception {
            int rows = 120;
            int limit = 9;
            ExecutorService threads = Executors.newFixedThreadPool(2);
            try {
                for (int round = 1; round <= 10; round++) {
                    Set<UUID> inserted = insertDue(rows);
                    CyclicBarrier start = new CyclicBarrier(2);
                    Future<Set<UUID>> a = threads.submit(() -> drain("claimer-a", limit, start));
                    Future<Set<UUID>> b = threads.submit(() -> drain("claimer-b", limit, start));
                    Set<UUID> claimedByA = a.get(20, TimeUnit.SECONDS);
                    Set<UUID> claimedByB = b.get(20, TimeUnit.SECONDS);

                    assertThat(intersection(claimedByA, claimedByB)).as("round %d", round).isEmpty();
                    assertThat(claimedByA.size() + claimedByB.size()).as("round %d", round).isEqualTo(rows);
                    Set<UUID> union = new HashSet<>(claimedByA);
                    union.addAll(claimedByB);
                    assertThat(union).as("round %d", round).isEqualTo(inserted);
                    assertThat(idsLeasedBy("claimer-a")).as("round %d", round).isEqualTo(claimedByA);
                    assertThat(idsLeasedBy("claimer-b")).as("round %d", round).isEqualTo(claimedByB);
                }
            }
            finally {
                threads.shutdownNow();
            }
        }

        /**
         * Claim like a dispatcher's sweeps do, {@code limit} rows at a time until a claim
         * comes back empty.
         */
        private Set<UUID> drain(String owner, int limit, CyclicBarrier start) throws Exception {
            start.await(5, TimeUnit.SECONDS);
            Set<UUID> claimed = new HashSet<>();
            List<Notification> batch;
            do {
                batch = this.repository.claimDue(ENVIRONMENT, NOW, limit, new Lease(owner, NOW.plusSeconds(60)));
                assertThat(batch).hasSizeLessThanOrEqualTo(limit);
                batch.forEach((notification) -> assertThat(claimed.add(notification.id())).isTrue());
            }
            while (!batch.isEmpty());
            return claimed;
        }

        Set<UUID> insertDue(int rows) {
            this.jdbc.sql("delete from notification").update();
            Set<UUID> inserted = new HashSet<>();
            this.transactions.executeWithoutResult((status) -> {
                for (int i = 0; i < rows; i++) {
                    inserted.add(insert(queued(NOW.minusMillis(rows - i)), null));
                }
            });
            return inserted;
        }

        NotificationRepository repository() {
            return this.repository;
        }

        @Test
        void aLapsedLeaseIsClaimedAgainByAnotherOwner() {
            UUID id = insert(queued(NOW), null);

            assertThat(this.repository.claimDue(ENVIRONMENT, NOW, 10, new Lease("dead", NOW.plusSeconds(60))))
                .extracting(Notification::id)
                .containsExactly(id);
            Instant stillLeased = NOW.plusSeconds(30);
            assertThat(this.repository.claimDue(ENVIRONMENT, stillLeased, 10,
                    new Lease("alive", stillLeased.plusSeconds(60))))
                .isEmpty();
            Instant lapsed = NOW.plusSeconds(61);
            assertThat(this.repository.claimDue(ENVIRONMENT, lapsed, 10, new Lease("alive", lapsed.plusSeconds(60))))
                .extracting(Notification::id)
                .containsExactly(id);

            assertThat(leaseOf(id)).isEqualTo(new Lease("alive", lapsed.plusSeconds(60)));
            assertThat(this.repository.releaseLeases("dead")).isZero();
            assertThat(leaseOf(id)).isEqualTo(new Lease("alive", lapsed.plusSeconds(60)));
        }

        @Test
        void expireOverdueExpiresOnlyOverdueUnleasedQueuedRows() {
            UUID oldest = insert(expiringAt(NOW.minusSeconds(3)), null);
            UUID retried = insert(withLastError(expiringAt(NOW.minusSeconds(2)), "HTTP 503: busy"), null);
            UUID lapsedLease = insert(expiringAt(NOW.minusSeconds(1)), new Lease("dead", NOW.minusMillis(1)));
            UUID exactlyNow = insert(expiringAt(NOW), null);
            UUID leased = insert(expiringAt(NOW.minusSeconds(5)), new Lease("alive", NOW.plusSeconds(10)));
            UUID notYet = insert(expiringAt(NOW.plusMillis(1)), null);
            UUID delivered = insert(withStatus(expiringAt(NOW.minusSeconds(9)), NotificationStatus.DELIVERED), null);
            UUID failed = insert(withStatus(expiringAt(NOW.minusSeconds(9)), NotificationStatus.FAILED), null);
            UUID otherEnvironment = insert(inEnvironment(expiringAt(NOW.minusSeconds(4)), "other"), null);
            Instant later = NOW.plusMillis(500);

            List<Notification> firstBatch = this.repository.expireOverdue(NOW, 2);
            List<Notification> secondBatch = this.repository.expireOverdue(NOW, 100);
            List<Notification> thirdBatch = this.repository.expireOverdue(later, 100);

            assertThat(firstBatch).extracting(Notification::id).containsExactly(otherEnvironment, oldest);
            assertThat(firstBatch).extracting(Notification::status).containsOnly(NotificationStatus.QUEUED);
            assertThat(secondBatch).extracting(Notification::id).containsExactly(retried, lapsedLease, exactlyNow);
            assertThat(thirdBatch).extracting(Notification::id).containsExactly(notYet);
            for (UUID id : List.of(otherEnvironment, oldest, lapsedLease, exactlyNow)) {
                Notification expired = this.repository.findById(id).orElseThrow();
                assertThat(expired.status()).isEqualTo(NotificationStatus.EXPIRED);
                assertThat(expired.lastError()).isEqualTo("time to live ran out before it could be sent");
                assertThat(expired.updatedAt()).isEqualTo(NOW);
                assertThat(expired.attempts()).isZero();
                assertThat(leaseOf(id)).isNull();
            }
            assertThat(this.repository.findById(retried).orElseThrow().lastError())
                .isEqualTo("time to live ran out; last: HTTP 503: busy");
            assertThat(this.repository.findById(notYet).orElseThrow().updatedAt()).isEqualTo(later);
            assertThat(this.repository.findById(leased).orElseThrow().status()).isEqualTo(NotificationStatus.QUEUED);
            assertThat(leaseOf(leased)).isEqualTo(new Lease("alive", NOW.plusSeconds(10)));
            assertThat(this.repository.findById(delivered).orElseThrow().status())
                .isEqualTo(NotificationStatus.DELIVERED);
            assertThat(this.repository.findById(failed).orElseThrow().status()).isEqualTo(NotificationStatus.FAILED);
            assertThat(this.jdbc.sql("select count(*) from notification where status = 'EXPIRED'")
                .query(Integer.class)
                .single()).isEqualTo(6);
        }

        @Test
        void markDeliveredAndMarkFinalNeverChangeARowThatIsAlreadyFinal() {
            List<UUID> finals = new ArrayList<>();
            for (NotificationStatus status : List.of(NotificationStatus.DELIVERED, NotificationStatus.FAILED,
                    NotificationStatus.EXPIRED)) {
                finals.add(insert(withLastError(withStatus(queued(NOW.minusSeconds(1)), status), "final"), null));
            }
            for (UUID id : finals) {
                Notification before = this.repository.findById(id).orElseThrow();

                assertThat(this.repository.markDelivered(id, NOW)).isFalse();
                assertThat(this.repository.markFinal(id, NotificationStatus.FAILED, "late", true, NOW)).isFalse();
                assertThat(this.repository.markFinal(id, NotificationStatus.EXPIRED, "late", false, NOW)).isFalse();
                this.repository.reschedule(id, NOW.plusSeconds(5), "late", true, NOW);

                assertThat(this.repository.findById(id)).contains(before);
            }
        }

        @Test
        void markDeliveredAndMarkFinalRecordTheOutcomeOfAQueuedRowOnce() {
            UUID delivered = insert(withLastError(queued(NOW.minusSeconds(1)), "HTTP 503: busy"),
                    new Lease("gateway-a", NOW.plusSeconds(60)));
            UUID failed = insert(queued(NOW.minusSeconds(1)), new Lease("gateway-a", NOW.plusSeconds(60)));
            Instant later = NOW.plusSeconds(1);

            assertThat(this.repository.markDelivered(delivered, NOW)).isTrue();
            assertThat(this.repository.markFinal(failed, NotificationStatus.FAILED, "x".repeat(600), true, NOW))
                .isTrue();
            assertThat(this.repository.markDelivered(delivered, later)).isFalse();
            assertThat(this.repository.markFinal(delivered, NotificationStatus.FAILED, "late", true, later)).isFalse();
            assertThat(this.repository.markDelivered(failed, later)).isFalse();

            Notification deliveredRow = this.repository.findById(delivered).orElseThrow();
            assertThat(deliveredRow.status()).isEqualTo(NotificationStatus.DELIVERED);
            assertThat(deliveredRow.attempts()).isEqualTo(1);
            assertThat(deliveredRow.lastError()).isNull();
            assertThat(deliveredRow.deliveredAt()).isEqualTo(NOW);
            assertThat(deliveredRow.updatedAt()).isEqualTo(NOW);
            assertThat(leaseOf(delivered)).isNull();
            Notification failedRow = this.repository.findById(failed).orElseThrow();
            assertThat(failedRow.status()).isEqualTo(NotificationStatus.FAILED);
            assertThat(failedRow.attempts()).isEqualTo(1);
            assertThat(failedRow.lastError()).isEqualTo("x".repeat(500));
            assertThat(failedRow.deliveredAt()).isNull();
            assertThat(leaseOf(failed)).isNull();
        }

        @Test
        void aSecondNotificationWithTheSameClientAndIdempotencyKeyIsADuplicateKey() {
            insert(queued(NOW), "manage-prod", "key-1");
            insert(queued(NOW), "manage-test", "key-1");
            insert(queued(NOW), "manage-prod", null);
            insert(queued(NOW), "manage-prod", null);

            assertThatExceptionOfType(DuplicateKeyException.class)
                .isThrownBy(() -> insert(queued(NOW), "manage-prod", "key-1"));
            assertThat(this.jdbc.sql("select count(*) from notification").query(Integer.class).single()).isEqualTo(4);
        }

        @Test
        void releaseLeasesFreesOnlyThatOwnersQueuedRows() {
            Lease a = new Lease("gateway-a", NOW.plusSeconds(60));
            Lease b = new Lease("gateway-b", NOW.plusSeconds(60));
            UUID a1 = insert(queued(NOW.minusSeconds(3)), a);
            UUID a2 = insert(queued(NOW.minusSeconds(2)), a);
            UUID a3 = insert(queued(NOW.minusSeconds(1)), a);
            UUID b1 = insert(queued(NOW.minusSeconds(4)), b);
            UUID b2 = insert(queued(NOW.minusSeconds(5)), b);
            UUID finalOfA = insert(withStatus(queued(NOW.minusSeconds(6)), NotificationStatus.FAILED), a);

            assertThat(this.repository.releaseLeases("gateway-a")).isEqualTo(3);

            for (UUID id : List.of(a1, a2, a3)) {
                assertThat(leaseOf(id)).isNull();
            }
            assertThat(leaseOf(b1)).isEqualTo(b);
            assertThat(leaseOf(b2)).isEqualTo(b);
            assertThat(leaseOf(finalOfA)).isEqualTo(a);
            assertThat(this.repository.claimDue(ENVIRONMENT, NOW, 10, new Lease("gateway-c", NOW.plusSeconds(60))))
                .extracting(Notification::id)
                .containsExactly(a1, a2, a3);
            assertThat(this.repository.releaseLeases("gateway-a")).isZero();
        }

        @Test
        void aFinalStatusOwesACallbackInTheSameTransactionOnlyWhenOneWasAskedFor() {
            UUID withCallback = insert(withCallbackUrl(queued(NOW.minusSeconds(1)), "https://hooks.example.com/a"),
                    null);
            UUID failedWithCallback = insert(
                    withCallbackUrl(queued(NOW.minusSeconds(1)), "https://hooks.example.com/b"), null);
            UUID expiredWithCallback = insert(
                    withCallbackUrl(expiringAt(NOW.minusSeconds(60)), "https://hooks.example.com/c"), null);
            UUID without = insert(queued(NOW.minusSeconds(1)), null);

            this.repository.markDelivered(withCallback, NOW);
            this.repository.markFinal(failedWithCallback, NotificationStatus.FAILED, "rejected", true, NOW);
            this.repository.expireOverdue(NOW, 10);
            this.repository.markDelivered(without, NOW);
            this.repository.markDelivered(withCallback, NOW.plusSeconds(1));

            assertThat(this.jdbc.sql("select notification_id, url, status, attempts from notification_callback")
                .query((rs, rowNum) -> rs.getObject(1, UUID.class) + " " + rs.getString(2) + " " + rs.getString(3) + " "
                        + rs.getInt(4))
                .list()).containsExactlyInAnyOrder(withCallback + " https://hooks.example.com/a PENDING 0",
                        failedWithCallback + " https://hooks.example.com/b PENDING 0",
                        expiredWithCallback + " https://hooks.example.com/c PENDING 0");
        }

        private UUID insert(Notification notification, Lease lease) {
            this.repository.insert(notification, null, null, lease);
            return notification.id();
        }

        private UUID insert(Notification notification, String clientId, String idempotencyKey) {
            Notification sent = new Notification(notification.id(), clientId, notification.environment(),
                    notification.status(), notification.recipients(), notification.title(), notification.body(),
                    notification.category(), notification.priority(), notification.data(), notification.attempts(),
                    notification.lastError(), notification.createdAt(), notification.updatedAt(),
                    notification.deliveredAt(), notification.expiresAt(), notification.nextAttemptAt(),
                    notification.callbackUrl(), notification.relayedBody());
            this.repository.insert(sent, idempotencyKey, (idempotencyKey != null) ? "0".repeat(64) : null, null);
            return sent.id();
        }

        private Lease leaseOf(UUID id) {
            return this.jdbc.sql("select lease_owner, lease_until from notification where id = :id")
                .param("id", id)
                .query(Contract::optionalLease)
                .single()
                .orElse(null);
        }

        private static Optional<Lease> optionalLease(ResultSet rs, int rowNum) throws SQLException {
            String owner = rs.getString("lease_owner");
            OffsetDateTime until = rs.getObject("lease_until", OffsetDateTime.class);
            return (owner != null) ? Optional.of(new Lease(owner, until.toInstant())) : Optional.empty();
        }

        private Set<UUID> idsLeasedBy(String owner) {
            return new HashSet<>(this.jdbc.sql("select id from notification where lease_owner = :owner")
                .param("owner", owner)
                .query(UUID.class)
                .list());
        }

        static Set<UUID> intersection(Set<UUID> a, Set<UUID> b) {
            Set<UUID> both = new HashSet<>(a);
            both.retainAll(b);
            return both;
        }

        static Set<UUID> ids(List<Notification> notifications) {
            Set<UUID> ids = new HashSet<>();
            notifications.forEach((notification) -> assertThat(ids.add(notification.id())).isTrue());
            return ids;
        }

        private static Notification withCallbackUrl(Notification notification, String url) {
            return new Notification(notification.id(), notification.clientId(), notification.environment(),
                    notification.status(), notification.recipients(), notification.title(), notification.body(),
                    notification.category(), notification.priority(), notification.data(), notification.attempts(),
                    notification.lastError(), notification.createdAt(), notification.updatedAt(),
                    notification.deliveredAt(), notification.expiresAt(), notification.nextAttemptAt(), url,
                    notification.relayedBody());
        }

        private static Notification queued(Instant due) {
            return NotificationFixtures.queued("manage-prod", due, Duration.ofHours(1));
        }

        private static Notification expiringAt(Instant expiresAt) {
            Notification queued = queued(expiresAt.minusSeconds(60));
            return new Notification(queued.id(), queued.clientId(), queued.environment(), queued.status(),
                    queued.recipients(), queued.title(), queued.body(), queued.category(), queued.priority(),
                    queued.data(), queued.attempts(), queued.lastError(), queued.createdAt(), queued.updatedAt(),
                    queued.deliveredAt(), expiresAt, queued.nextAttemptAt(), queued.callbackUrl(),
                    queued.relayedBody());
        }

        private static Notification withStatus(Notification notification, NotificationStatus status) {
            return new Notification(notification.id(), notification.clientId(), notification.environment(), status,
                    notification.recipients(), notification.title(), notification.body(), notification.category(),
                    notification.priority(), notification.data(), notification.attempts(), notification.lastError(),
                    notification.createdAt(), notification.updatedAt(),
                    (status == NotificationStatus.DELIVERED) ? notification.updatedAt() : null,
                    notification.expiresAt(), notification.nextAttemptAt(), notification.callbackUrl(),
                    notification.relayedBody());
        }

        private static Notification withLastError(Notification notification, String lastError) {
            return new Notification(notification.id(), notification.clientId(), notification.environment(),
                    notification.status(), notification.recipients(), notification.title(), notification.body(),
                    notification.category(), notification.priority(), notification.data(), notification.attempts(),
                    lastError, notification.createdAt(), notification.updatedAt(), notification.deliveredAt(),
                    notification.expiresAt(), notification.nextAttemptAt(), notification.callbackUrl(),
                    notification.relayedBody());
        }

        private static Notification inEnvironment(Notification notification, String environment) {
            return new Notification(notification.id(), notification.clientId(), environment, notification.status(),
                    notification.recipients(), notification.title(), notification.body(), notification.category(),
                    notification.priority(), notification.data(), notification.attempts(), notification.lastError(),
                    notification.createdAt(), notification.updatedAt(), notification.deliveredAt(),
                    notification.expiresAt(), notification.nextAttemptAt(), notification.callbackUrl(),
                    notification.relayedBody());
        }

    }

}
