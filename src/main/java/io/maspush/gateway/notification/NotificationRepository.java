package io.maspush.gateway.notification;

import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.maspush.gateway.push.RelayedBody;

import org.springframework.boot.jdbc.DatabaseDriver;
import org.springframework.jdbc.core.RowMapper;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.core.namedparam.SqlParameterSource;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.JdbcUtils;
import org.springframework.jdbc.support.MetaDataAccessException;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Stores notifications and hands them to dispatchers. Claims use
 * {@code FOR UPDATE SKIP LOCKED} plus a lease, so several gateway processes share one
 * table without two of them claiming the same row, and the claims of a process that died
 * lapse and are taken again. Every timestamp is passed in by the caller: the database's
 * own clock is never used.
 */
@Repository
public class NotificationRepository {

    private static final TypeReference<List<String>> STRING_LIST = new TypeReference<>() {
    };

    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {
    };

    private static final String INSERT = """
            insert into notification (id, client_id, environment, status, recipients, title, body, category,
                priority, data, idempotency_key, request_hash, attempts, last_error, created_at, updated_at,
                delivered_at, expires_at, next_attempt_at, lease_owner, lease_until, api, payload,
                payload_key_offsets, callback_url)
            values (:id, :clientId, :environment, :status, :recipients, :title, :body, :category, :priority,
                :data, :idempotencyKey, :requestHash, :attempts, :lastError, :createdAt, :updatedAt,
                :deliveredAt, :expiresAt, :nextAttemptAt, :leaseOwner, :leaseUntil, :api, :payload,
                :payloadKeyOffsets, :callbackUrl)
            """;

    /**
     * The queued notifications of one environment that are due and unclaimed, oldest
     * first. The order names every column of the index {@code notification_due}, although
     * status and environment are fixed: only then does H2 read the index in order and
     * stop at the limit, rather than read every queued row and sort them.
     */
    private static final String DUE = """
            where status = 'QUEUED' and environment = :environment and next_attempt_at <= :now
              and (lease_until is null or lease_until < :now)
            order by status, environment, next_attempt_at
            limit :limit
            """;

    private final NamedParameterJdbcTemplate template;

    private final JdbcClient jdbc;

    private final TransactionTemplate transactions;

    private final ObjectMapper json;

    private final RowMapper<Notification> rowMapper = this::mapRow;

    private final boolean skipsLockedRows;

    NotificationRepository(NamedParameterJdbcTemplate template, TransactionTemplate transactions, ObjectMapper json,
            DataSource dataSource) {
        this.template = template;
        this.jdbc = JdbcClient.create(template);
        this.transactions = transactions;
        this.json = json;
        this.skipsLockedRows = DatabaseDriver.fromJdbcUrl(jdbcUrl(dataSource)) == DatabaseDriver.POSTGRESQL;
    }

    private static String jdbcUrl(DataSource dataSource) {
        try {
            return JdbcUtils.extractDatabaseMetaData(dataSource, DatabaseMetaData::getURL);
        }
        catch (MetaDataAccessException ex) {
            throw new IllegalStateException("Cannot tell which database the gateway stores notifications in", ex);
        }
    }

    /**
     * Insert a new notification, optionally already claimed by a dispatcher that has room
     * for it, which saves the round trip of claiming it afterwards.
     * @param notification the notification
     * @param idempotencyKey the caller's key, or {@code null}
     * @param requestHash the fingerprint of the request that goes with the key, or
     * {@code null}
     * @param lease the claim, or {@code null} to leave it to the sweep
     */
    public void insert(Notification notification, String idempotencyKey, String requestHash, Lease lease) {
        this.jdbc.sql(INSERT)
            .paramSource(insertParameters(new NewNotification(notification, idempotencyKey, requestHash, lease)))
            .update();
    }

    /**
     * Insert several notifications in one transaction: all of them are stored, or none.
     * @param notifications the notifications, with their keys and claims
     */
    public void insertAll(List<NewNotification> notifications) {
        SqlParameterSource[] rows = notifications.stream()
            .map(this::insertParameters)
            .toArray(SqlParameterSource[]::new);
        this.transactions.executeWithoutResult((status) -> this.template.batchUpdate(INSERT, rows));
    }

    private SqlParameterSource insertParameters(NewNotification row) {
        Notification notification = row.notification();
        RelayedBody relayed = notification.relayedBody();
        Lease lease = row.lease();
        return new MapSqlParameterSource().addValue("id", notification.id())
            .addValue("clientId", notification.clientId())
            .addValue("environment", notification.environment())
            .addValue("status", notification.status().name())
            .addValue("recipients", toJson(notification.recipients()))
            .addValue("title", notification.title())
            .addValue("body", notification.body())
            .addValue("category", notification.category())
            .addValue("priority", notification.priority().name())
            .addValue("data", (notification.data() != null) ? toJson(notification.data()) : null)
            .addValue("idempotencyKey", row.idempotencyKey())
            .addValue("requestHash", row.requestHash())
            .addValue("attempts", notification.attempts())
            .addValue("lastError", notification.lastError())
            .addValue("createdAt", timestamp(notification.createdAt()))
            .addValue("updatedAt", timestamp(notification.updatedAt()))
            .addValue("deliveredAt", timestamp(notification.deliveredAt()))
            .addValue("expiresAt", timestamp(notification.expiresAt()))
            .addValue("nextAttemptAt", timestamp(notification.nextAttemptAt()))
            .addValue("leaseOwner", (lease != null) ? lease.owner() : null)
            .addValue("leaseUntil", (lease != null) ? timestamp(lease.until()) : null)
            .addValue("api", notification.api())
            .addValue("payload", (relayed != null) ? relayed.template() : null)
            .addValue("payloadKeyOffsets", (relayed != null) ? joinOffsets(relayed.keyOffsets()) : null)
            .addValue("callbackUrl", notification.callbackUrl());
    }

    public Optional<Notification> findById(UUID id) {
        return this.jdbc.sql("select * from notification where id = :id")
            .param("id", id)
            .query(this.rowMapper)
            .optional();
    }

    /**
     * The notification a client stored earlier under an idempotency key, with the
     * fingerprint of its request.
     * @param clientId the client
     * @param idempotencyKey the key
     * @return the earlier notification, if any
     */
    public Optional<IdempotentRequest> findByIdempotencyKey(String clientId, String idempotencyKey) {
        return this.jdbc.sql("select * from notification where client_id = :clientId and idempotency_key = :key")
            .param("clientId", clientId)
            .param("key", idempotencyKey)
            .query((rs, rowNum) -> new IdempotentRequest(mapRow(rs, rowNum), rs.getString("request_hash")))
            .optional();
    }

    /**
     * The notifications a client stored earlier under any of these idempotency keys.
     * @param clientId the client
     * @param idempotencyKeys the keys
     * @return the earlier notifications by key
     */
    public Map<String, IdempotentRequest> findByIdempotencyKeys(String clientId, List<String> idempotencyKeys) {
        Map<String, IdempotentRequest> found = new HashMap<>();
        this.jdbc.sql("select * from notification where client_id = :clientId and idempotency_key in (:keys)")
            .param("clientId", clientId)
            .param("keys", idempotencyKeys)
            .query((rs, rowNum) -> found.put(rs.getString("idempotency_key"),
                    new IdempotentRequest(mapRow(rs, rowNum), rs.getString("request_hash"))))
            .list();
        return found;
    }

    /**
     * Claim up to {@code limit} due notifications of one environment for a dispatcher,
     * oldest due first. Rows another process is claiming at the same moment are skipped,
     * not waited for.
     * @param environment the environment
     * @param now the current time
     * @param limit the most rows to claim
     * @param lease the claim to put on them
     * @return the claimed notifications
     */
    public List<Notification> claimDue(String environment, Instant now, int limit, Lease lease) {
        return this.transactions.execute((status) -> this.skipsLockedRows ? claimLocking(environment, now, limit, lease)
                : claimUnlocked(environment, now, limit, lease));
    }

    /**
     * Claim with {@code for update skip locked}, so that replicas sharing the database
     * each take different rows without waiting for one another.
     */
    private List<Notification> claimLocking(String environment, Instant now, int limit, Lease lease) {
        List<Notification> due = this.jdbc.sql("select * from notification " + DUE + " for update skip locked")
            .param("environment", environment)
            .param("now", timestamp(now))
            .param("limit", limit)
            .query(this.rowMapper)
            .list();
        if (!due.isEmpty()) {
            this.jdbc.sql("update notification set lease_owner = :owner, lease_until = :until where id in (:ids)")
                .param("owner", lease.owner())
                .param("until", timestamp(lease.until()))
                .param("ids", due.stream().map(Notification::id).toList())
                .update();
        }
        return due;
    }

    /**
     * Claim without row locks on the embedded database, which serves one process only. H2
     * locks every row a {@code for update} query reads before it applies the limit, so
     * with a backlog of 20,000 one claim took 24 ms instead of 60 us. The update takes
     * only rows still unclaimed, and what it took is read back.
     */
    private List<Notification> claimUnlocked(String environment, Instant now, int limit, Lease lease) {
        List<UUID> candidates = this.jdbc.sql("select id from notification " + DUE)
            .param("environment", environment)
            .param("now", timestamp(now))
            .param("limit", limit)
            .query(UUID.class)
            .list();
        if (candidates.isEmpty()) {
            return List.of();
        }
        this.jdbc.sql("""
                update notification set lease_owner = :owner, lease_until = :until
                where id in (:ids) and status = 'QUEUED' and (lease_until is null or lease_until < :now)
                """)
            .param("owner", lease.owner())
            .param("until", timestamp(lease.until()))
            .param("now", timestamp(now))
            .param("ids", candidates)
            .update();
        return this.jdbc.sql("""
                select * from notification
                where id in (:ids) and lease_owner = :owner and lease_until > :now
                order by next_attempt_at
                """)
            .param("ids", candidates)
            .param("owner", lease.owner())
            .param("now", timestamp(now))
            .query(this.rowMapper)
            .list();
    }

    /**
     * Record a delivery. Only a queued notification changes, so a late answer can never
     * overwrite a final status.
     * @param id the notification
     * @param now when the push service took it
     * @return whether the row changed
     */
    public boolean markDelivered(UUID id, Instant now) {
        return inTransaction(() -> {
            boolean changed = this.jdbc.sql("""
                    update notification set status = 'DELIVERED', attempts = attempts + 1, last_error = null,
                        delivered_at = :now, updated_at = :now, lease_owner = null, lease_until = null
                    where id = :id and status = 'QUEUED'
                    """).param("id", id).param("now", timestamp(now)).update() == 1;
            if (changed) {
                oweCallbacks(List.of(id), now);
            }
            return changed;
        });
    }

    /**
     * Give a notification its final status.
     * @param id the notification
     * @param status {@code FAILED} or {@code EXPIRED}
     * @param lastError why
     * @param attempted whether an attempt was just made and counts
     * @param now the current time
     * @return whether the row changed
     */
    public boolean markFinal(UUID id, NotificationStatus status, String lastError, boolean attempted, Instant now) {
        return inTransaction(() -> {
            boolean changed = this.jdbc.sql("""
                    update notification set status = :status, attempts = attempts + :increment,
                        last_error = :lastError, updated_at = :now, lease_owner = null, lease_until = null
                    where id = :id and status = 'QUEUED'
                    """)
                .param("id", id)
                .param("status", status.name())
                .param("increment", attempted ? 1 : 0)
                .param("lastError", truncate(lastError))
                .param("now", timestamp(now))
                .update() == 1;
            if (changed) {
                oweCallbacks(List.of(id), now);
            }
            return changed;
        });
    }

    /**
     * Put a notification back in the queue until {@code nextAttemptAt}, releasing the
     * claim on it.
     * @param id the notification
     * @param nextAttemptAt when it is due again
     * @param lastError why the attempt did not deliver, or {@code null} to keep the
     * previous one
     * @param attempted whether an attempt was made and counts
     * @param now the current time
     */
    public void reschedule(UUID id, Instant nextAttemptAt, String lastError, boolean attempted, Instant now) {
        this.jdbc.sql("""
                update notification set attempts = attempts + :increment,
                    last_error = coalesce(:lastError, last_error), next_attempt_at = :next, updated_at = :now,
                    lease_owner = null, lease_until = null
                where id = :id and status = 'QUEUED'
                """)
            .param("id", id)
            .param("increment", attempted ? 1 : 0)
            .param("lastError", truncate(lastError))
            .param("next", timestamp(nextAttemptAt))
            .param("now", timestamp(now))
            .update();
    }

    /**
     * Expire queued notifications whose time to live has run out and that no live
     * dispatcher holds.
     * @param now the current time
     * @param limit the most rows to expire in one go
     * @return the expired notifications, as they were before expiry
     */
    public List<Notification> expireOverdue(Instant now, int limit) {
        return this.transactions.execute((status) -> {
            List<Notification> overdue = this.jdbc.sql("""
                    select * from notification
                    where status = 'QUEUED' and expires_at <= :now and (lease_until is null or lease_until < :now)
                    order by status, expires_at
                    limit :limit
                    for update skip locked
                    """).param("now", timestamp(now)).param("limit", limit).query(this.rowMapper).list();
            if (!overdue.isEmpty()) {
                this.jdbc.sql("""
                        update notification set status = 'EXPIRED', updated_at = :now,
                            last_error = case when last_error is null
                                then 'time to live ran out before it could be sent'
                                else substring('time to live ran out; last: ' || last_error from 1 for 500) end,
                            lease_owner = null, lease_until = null
                        where id in (:ids)
                        """)
                    .param("now", timestamp(now))
                    .param("ids", overdue.stream().map(Notification::id).toList())
                    .update();
                oweCallbacks(overdue.stream().map(Notification::id).toList(), now);
            }
            return overdue;
        });
    }

    /**
     * Hand back every claim of one dispatcher, so that another process (or the next
     * start) takes the rows at once instead of waiting for the leases to lapse.
     * @param owner the dispatcher's owner id
     * @return how many claims were released
     */
    public int releaseLeases(String owner) {
        return this.jdbc.sql("""
                update notification set lease_owner = null, lease_until = null
                where lease_owner = :owner and status = 'QUEUED'
                """).param("owner", owner).update();
    }

    public long countAllQueued() {
        return this.jdbc.sql("select count(*) from notification where status = 'QUEUED'").query(Long.class).single();
    }

    public long countQueued(String environment) {
        return this.jdbc.sql("select count(*) from notification where status = 'QUEUED' and environment = :environment")
            .param("environment", environment)
            .query(Long.class)
            .single();
    }

    /**
     * When the longest-waiting due notification of an environment became due, which tells
     * a stalled dispatcher from an idle one.
     * @param environment the environment
     * @param now the current time
     * @return the earliest due time, if anything is due
     */
    public Optional<Instant> oldestDue(String environment, Instant now) {
        return this.jdbc.sql("""
                select min(next_attempt_at) from notification
                where status = 'QUEUED' and environment = :environment and next_attempt_at <= :now
                """)
            .param("environment", environment)
            .param("now", timestamp(now))
            .query((rs, rowNum) -> instant(rs, 1))
            .optional();
    }

    /**
     * Record the status callbacks owed for notifications that just reached a final
     * status, in the caller's transaction.
     */
    private void oweCallbacks(List<UUID> ids, Instant now) {
        this.jdbc.sql("""
                insert into notification_callback (notification_id, client_id, url, status, attempts, created_at,
                    updated_at, next_attempt_at)
                select id, client_id, callback_url, 'PENDING', 0, :now, :now, :now
                from notification where id in (:ids) and callback_url is not null
                """).param("ids", ids).param("now", timestamp(now)).update();
    }

    private boolean inTransaction(BooleanSupplier work) {
        return Boolean.TRUE.equals(this.transactions.execute((status) -> work.getAsBoolean()));
    }

    private Notification mapRow(ResultSet rs, int rowNum) throws SQLException {
        String data = rs.getString("data");
        return new Notification(rs.getObject("id", UUID.class), rs.getString("client_id"), rs.getString("environment"),
                NotificationStatus.valueOf(rs.getString("status")), fromJson(rs.getString("recipients"), STRING_LIST),
                rs.getString("title"), rs.getString("body"), rs.getString("category"),
                Priority.valueOf(rs.getString("priority")), (data != null) ? fromJson(data, STRING_MAP) : null,
                rs.getInt("attempts"), rs.getString("last_error"), instant(rs, "created_at"), instant(rs, "updated_at"),
                instant(rs, "delivered_at"), instant(rs, "expires_at"), instant(rs, "next_attempt_at"),
                rs.getString("callback_url"), relayedBody(rs));
    }

    private static RelayedBody relayedBody(ResultSet rs) throws SQLException {
        String payload = rs.getString("payload");
        if (payload == null) {
            return null;
        }
        String offsets = rs.getString("payload_key_offsets");
        List<Integer> keyOffsets = (offsets == null || offsets.isEmpty()) ? List.of()
                : Arrays.stream(offsets.split(",")).map(Integer::valueOf).toList();
        return new RelayedBody(payload, keyOffsets);
    }

    private static String joinOffsets(List<Integer> offsets) {
        return offsets.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return (value != null) ? value.toInstant() : null;
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return (value != null) ? value.toInstant() : null;
    }

    private static OffsetDateTime timestamp(Instant instant) {
        return (instant != null) ? instant.atOffset(ZoneOffset.UTC) : null;
    }

    private static String truncate(String text) {
        return (text != null && text.length() > 500) ? text.substring(0, 500) : text;
    }

    private String toJson(Object value) {
        try {
            return this.json.writeValueAsString(value);
        }
        catch (JsonProcessingException ex) {
            throw new IllegalStateException("Cannot serialise a list or map of strings", ex);
        }
    }

    private <T> T fromJson(String text, TypeReference<T> type) {
        try {
            return this.json.readValue(text, type);
        }
        catch (JsonProcessingException ex) {
            throw new IllegalStateException("Stored notification column is not valid JSON", ex);
        }
    }

    /**
     * A dispatcher's claim on rows.
     *
     * @param owner the dispatcher's id, unique per process
     * @param until when the claim lapses unless released earlier
     */
    public record Lease(String owner, Instant until) {
    }

    /**
     * A notification stored under an idempotency key, and the fingerprint of the request
     * that created it.
     *
     * @param notification the notification
     * @param requestHash the fingerprint
     */
    public record IdempotentRequest(Notification notification, String requestHash) {
    }

    /**
     * A notification about to be inserted.
     *
     * @param notification the notification
     * @param idempotencyKey the caller's key, or {@code null}
     * @param requestHash the fingerprint of the request that goes with the key, or
     * {@code null}
     * @param lease the claim of the worker reserved for it, or {@code null}
     */
    public record NewNotification(Notification notification, String idempotencyKey, String requestHash, Lease lease) {
    }

}
