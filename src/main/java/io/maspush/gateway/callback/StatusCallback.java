package io.maspush.gateway.callback;

import java.time.Instant;
import java.util.UUID;

import io.maspush.gateway.notification.NotificationStatus;

/**
 * The body POSTed to a callback URL when a notification reaches its final status.
 *
 * <pre>
 * {"id": "0b6c...", "status": "DELIVERED", "attempts": 1, "lastError": null,
 *  "deliveredAt": "2026-12-04T09:15:02.123456Z"}
 * </pre>
 *
 * @param id the notification's id
 * @param status {@code DELIVERED}, {@code FAILED} or {@code EXPIRED}
 * @param attempts calls made to the push service
 * @param lastError why it was not delivered, or {@code null}
 * @param deliveredAt when the push service took it, or {@code null}
 */
public record StatusCallback(UUID id, NotificationStatus status, int attempts, String lastError, Instant deliveredAt) {

}
