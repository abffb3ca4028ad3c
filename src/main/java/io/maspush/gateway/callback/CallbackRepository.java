package io.maspush.gateway.callback;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.maspush.gateway.notification.NotificationRepository.Lease;
import io.maspush.gateway.notification.NotificationStatus;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The callbacks owed, in {@code notification_callback}. A row is written in the same
 * transaction that gives its notification a final status; from then on it is claimed with
 * a lease, like a notification, so that several processes share the work and a dead
 * process's claims are taken again.
 */
@Repository
class CallbackRepository {

    private static final String PENDING = "PENDING";

    private final JdbcClient jdbc;

    private final TransactionTemplate transactions;

    CallbackRepository(JdbcClient jdbc, TransactionTemplate transactions) {
        this.jdbc = jdbc;
        this.transactions = transactions;
    }

    /**
     * Claim the callback of one notification that has just become final, unless another
     * process holds it.
     * @param notificationId the notification
     * @param now the current time
     * @param lease the claim
     * @return the callback, if this process now holds it
     */
    Optional<PendingCallback> claim(UUID notificationId, Instant now, Lease lease) {
        int claimed = this.jdbc.sql("""
                update notification_callback set lease_owner = :owner, lease_until = :until
                where notification_id = :id and status = 'PENDING' and (lease_until is null or lease_until < :now)
                """)
            .param("owner", lease.owner())
            .param("until", timestamp(lease.until()))
            .param("id", notificationId)
            .param("now", timestamp(now))
            .update();
        return (claimed == 1) ? load(List.of(notificationId)).stream().findFirst() : Optional.empty();
    }

    /**
     * Claim up to {@code limit} due callbacks, oldest due first, skipping rows another
     * process is claiming at the same moment.
     * @param now the current time
     * @param limit the most rows to claim
     * @param lease the claim
     * @return the claimed callbacks
     */
    List<PendingCallback> claimDue(Instant now, int limit, Lease lease) {
        List<UUID> ids = this.transactions.execute((status) -> {
            List<UUID> due = this.jdbc.sql("""
                    select notification_id from notification_callback
                    where status = 'PENDING' and next_attempt_at <= :now
                      and (lease_until is null or lease_until < :now)
                    order by status, next_attempt_at
                    limit :limit
                    for update skip locked
                    """).param("now", timestamp(now)).param("limit", limit).query(UUID.class).list();
            if (!due.isEmpty()) {
                this.jdbc.sql("""
                        update notification_callback set lease_owner = :owner, lease_until = :until
                        where notification_id in (:ids)
                        """)
                    .param("owner", lease.owner())
                    .param("until", timestamp(lease.until()))
                    .param("ids", due)
                    .update();
            }
            return due;
        });
        return (ids == null || ids.isEmpty()) ? List.of() : load(ids);
    }

    /**
     * The callbacks of these notifications, with what each says.
     */
    private List<PendingCallback> load(List<UUID> ids) {
        List<PendingCallback> callbacks = this.jdbc.sql("""
                select c.notification_id, c.client_id, c.url, c.attempts as callback_attempts, n.status, n.attempts,
                    n.last_error, n.delivered_at
                from notification_callback c join notification n on n.id = c.notification_id
                where c.notification_id in (:ids)
                """).param("ids", ids).query(this::mapRow).list();
        Map<UUID, PendingCallback> byId = callbacks.stream()
            .collect(Collectors.toMap((callback) -> callback.payload().id(), Function.identity()));
        return ids.stream().map(byId::get).filter((callback) -> callback != null).toList();
    }

    void markDelivered(UUID notificationId, Instant now) {
        finish(notificationId, "DELIVERED", null, now);
    }

    void markFailed(UUID notificationId, String lastError, Instant now) {
        finish(notificationId, "FAILED", lastError, now);
    }

    private void finish(UUID notificationId, String status, String lastError, Instant now) {
        this.jdbc.sql("""
                update notification_callback set status = :status, attempts = attempts + 1, last_error = :lastError,
                    updated_at = :now, lease_owner = null, lease_until = null
                where notification_id = :id and status = 'PENDING'
                """)
            .param("status", status)
            .param("lastError", truncate(lastError))
            .param("now", timestamp(now))
            .param("id", notificationId)
            .update();
    }

    /**
     * Count a failed POST and release the claim until the next attempt is due.
     * @param notificationId the notification
     * @param next when to try again
     * @param lastError why it failed
     * @param now the current time
     */
    void reschedule(UUID notificationId, Instant next, String lastError, Instant now) {
        this.jdbc.sql("""
                update notification_callback set attempts = attempts + 1, last_error = :lastError,
                    next_attempt_at = :next, updated_at = :now, lease_owner = null, lease_until = null
                where notification_id = :id and status = 'PENDING'
                """)
            .param("lastError", truncate(lastError))
            .param("next", timestamp(next))
            .param("now", timestamp(now))
            .param("id", notificationId)
            .update();
    }

    /**
     * Release a claim without counting an attempt, for a callback this process claimed
     * but could not start, and let others due before it go first.
     * @param notificationId the notification
     * @param next when it is due again
     */
    void postpone(UUID notificationId, Instant next) {
        this.jdbc.sql("""
                update notification_callback set lease_owner = null, lease_until = null, next_attempt_at = :next
                where notification_id = :id and status = 'PENDING'
                """).param("id", notificationId).param("next", timestamp(next)).update();
    }

    int releaseLeases(String owner) {
        return this.jdbc.sql("""
                update notification_callback set lease_owner = null, lease_until = null
                where lease_owner = :owner and status = 'PENDING'
                """).param("owner", owner).update();
    }

    long countPending() {
        return this.jdbc.sql("select count(*) from notification_callback where status = :status")
            .param("status", PENDING)
            .query(Long.class)
            .single();
    }

    private PendingCallback mapRow(ResultSet rs, int rowNum) throws SQLException {
        OffsetDateTime deliveredAt = rs.getObject("delivered_at", OffsetDateTime.class);
        StatusCallback payload = new StatusCallback(rs.getObject("notification_id", UUID.class),
                NotificationStatus.valueOf(rs.getString("status")), rs.getInt("attempts"), rs.getString("last_error"),
                (deliveredAt != null) ? deliveredAt.toInstant() : null);
        return new PendingCallback(rs.getString("client_id"), rs.getString("url"), rs.getInt("callback_attempts"),
                payload);
    }

    private static OffsetDateTime timestamp(Instant instant) {
        return (instant != null) ? instant.atOffset(ZoneOffset.UTC) : null;
    }

    private static String truncate(String text) {
        return (text != null && text.length() > 500) ? text.substring(0, 500) : text;
    }

}
