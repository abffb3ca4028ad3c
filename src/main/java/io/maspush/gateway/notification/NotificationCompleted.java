package io.maspush.gateway.notification;

import java.util.UUID;

/**
 * Published once a notification has reached its final status and that status is
 * committed.
 *
 * @param id the notification
 * @param environment its environment
 * @param clientId the client that sent it
 * @param status the final status
 * @param reason the bounded reason, also a metric tag: {@code delivered},
 * {@code rejected}, {@code attempts_exhausted} or {@code expired}
 * @param api the API it came through: {@code native} or {@code relay}
 * @param callbackOwed whether a status callback was recorded with the final status
 */
public record NotificationCompleted(UUID id, String environment, String clientId, NotificationStatus status,
        String reason, String api, boolean callbackOwed) {

    /**
     * The event for a notification that has just been given its final status.
     * @param notification the notification as it was before
     * @param status its final status
     * @param reason the bounded reason
     * @return the event
     */
    public static NotificationCompleted of(Notification notification, NotificationStatus status, String reason) {
        return new NotificationCompleted(notification.id(), notification.environment(), notification.clientId(), status,
                reason, notification.api(), notification.callbackUrl() != null);
    }

}
