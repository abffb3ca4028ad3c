package io.maspush.gateway.notification;

import java.time.Instant;
import java.util.UUID;

/**
 * The answer to an accepted notification.
 *
 * @param id the notification's id
 * @param status its status (QUEUED when new; the current one for a repeated idempotent
 * request)
 * @param createdAt when it was accepted
 * @param expiresAt when it stops being delivered
 */
public record NotificationAccepted(UUID id, NotificationStatus status, Instant createdAt, Instant expiresAt) {

    public static NotificationAccepted of(Notification notification) {
        return new NotificationAccepted(notification.id(), notification.status(), notification.createdAt(),
                notification.expiresAt());
    }

}
