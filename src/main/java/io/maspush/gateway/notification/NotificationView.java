package io.maspush.gateway.notification;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A notification as its sender sees it.
 *
 * @param id its id
 * @param status {@code QUEUED}, {@code DELIVERED}, {@code FAILED} or {@code EXPIRED}
 * @param attempts calls made to the push service
 * @param lastError why it is not (yet) delivered, or {@code null}
 * @param createdAt when it was accepted
 * @param updatedAt when it last changed
 * @param deliveredAt when the push service took it, or {@code null}
 * @param expiresAt when it stops being delivered
 * @param recipients its recipients (none for a relayed message, whose body is the
 * caller's own)
 * @param api {@code native} for the gateway's API, {@code relay} for a relayed message
 */
public record NotificationView(UUID id, NotificationStatus status, int attempts, String lastError, Instant createdAt,
        Instant updatedAt, Instant deliveredAt, Instant expiresAt, List<String> recipients, String api) {

    static NotificationView of(Notification notification) {
        return new NotificationView(notification.id(), notification.status(), notification.attempts(),
                notification.lastError(), notification.createdAt(), notification.updatedAt(),
                notification.deliveredAt(), notification.expiresAt(), notification.recipients(), notification.api());
    }

}
