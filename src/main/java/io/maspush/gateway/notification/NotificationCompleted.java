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
 */
public record NotificationCompleted(UUID id, String environment, String clientId, NotificationStatus status,
        String reason, String api) {

}
