package io.maspush.gateway.notification;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.maspush.gateway.push.RelayedBody;

/**
 * A stored notification, as the database holds it.
 *
 * @param id the gateway's id
 * @param clientId the client that sent it
 * @param environment the push environment it is delivered through
 * @param status where it stands
 * @param recipients MAS user IDs, without duplicates
 * @param title the title
 * @param body the text
 * @param category the category, or {@code null}
 * @param priority the priority
 * @param data extra string fields, or {@code null}
 * @param attempts calls made to the push service so far
 * @param lastError why the last attempt did not deliver, or {@code null}
 * @param createdAt when it was accepted
 * @param updatedAt when it last changed
 * @param deliveredAt when the push service took it, or {@code null}
 * @param expiresAt after this it is never sent
 * @param nextAttemptAt when the next attempt is due while it is queued
 * @param callbackUrl where its final status is POSTed, or {@code null}
 * @param relayedBody the caller's own JSON for a relayed message, or {@code null} for a
 * notification of the gateway's API
 */
public record Notification(UUID id, String clientId, String environment, NotificationStatus status,
        List<String> recipients, String title, String body, String category, Priority priority,
        Map<String, String> data, int attempts, String lastError, Instant createdAt, Instant updatedAt,
        Instant deliveredAt, Instant expiresAt, Instant nextAttemptAt, String callbackUrl, RelayedBody relayedBody) {

    /** The API of a notification sent to {@code POST /api/v1/notifications}. */
    public static final String NATIVE_API = "native";

    /** The API of a message relayed from {@code POST /pushnotification/sendMessage}. */
    public static final String RELAY_API = "relay";

    /**
     * Which API the notification came through, a metric tag.
     * @return {@value #NATIVE_API} or {@value #RELAY_API}
     */
    public String api() {
        return (this.relayedBody != null) ? RELAY_API : NATIVE_API;
    }

    public boolean isExpiredAt(Instant now) {
        return !now.isBefore(this.expiresAt);
    }

}
