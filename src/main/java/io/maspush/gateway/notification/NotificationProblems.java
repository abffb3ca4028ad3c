package io.maspush.gateway.notification;

import java.util.List;
import java.util.UUID;

import io.maspush.gateway.web.InvalidField;
import io.maspush.gateway.web.Problems;

import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/**
 * The ways a notification request can be refused, each with a problem detail that says
 * what to do.
 */
final class NotificationProblems {

    private NotificationProblems() {
    }

    static ErrorResponseException notFound(String id) {
        return new ErrorResponseException(HttpStatus.NOT_FOUND,
                Problems.of(HttpStatus.NOT_FOUND, "notification-not-found", "Notification not found",
                        "No notification with id '" + printable(id) + "' was sent by this client"),
                null);
    }

    static ErrorResponseException idempotencyConflict(UUID original) {
        return new ErrorResponseException(HttpStatus.UNPROCESSABLE_ENTITY,
                Problems.of(HttpStatus.UNPROCESSABLE_ENTITY, "idempotency-key-reused", "Idempotency key reused",
                        "This Idempotency-Key was already used for notification " + original + " with a different body;"
                                + " use a new key for a different notification"),
                null);
    }

    static ErrorResponseException invalidIdempotencyKey() {
        return new ErrorResponseException(HttpStatus.BAD_REQUEST,
                Problems.of(HttpStatus.BAD_REQUEST, "invalid-idempotency-key", "Invalid Idempotency-Key",
                        "The Idempotency-Key header must be 1 to 255 printable ASCII characters"),
                null);
    }

    static ErrorResponseException invalidBatchIdempotencyKey() {
        return new ErrorResponseException(HttpStatus.BAD_REQUEST,
                Problems.of(HttpStatus.BAD_REQUEST, "invalid-idempotency-key", "Invalid Idempotency-Key",
                        "The Idempotency-Key header of a batch must be 1 to 240 printable ASCII characters"),
                null);
    }

    static ErrorResponseException invalidField(String field, String message) {
        return new ErrorResponseException(HttpStatus.BAD_REQUEST,
                Problems.validationFailed(List.of(new InvalidField(field, message))), null);
    }

    static ErrorResponseException idempotentBatchConflict() {
        return new ErrorResponseException(HttpStatus.UNPROCESSABLE_ENTITY,
                Problems.of(HttpStatus.UNPROCESSABLE_ENTITY, "idempotency-key-reused", "Idempotency key reused",
                        "This Idempotency-Key was already used for a batch with different notifications; use a new"
                                + " key for a different batch"),
                null);
    }

    static ErrorResponseException pushNotConfigured(String environment) {
        ErrorResponseException ex = new ErrorResponseException(HttpStatus.SERVICE_UNAVAILABLE, Problems.of(
                HttpStatus.SERVICE_UNAVAILABLE, "push-not-configured", "Push is not configured",
                "Environment '" + environment + "' has no API key, so nothing could be delivered. An administrator"
                        + " sets GATEWAY_PUSH_API_KEY (or gateway.push.api-key) to the key generated on IBM's push"
                        + " notification portal"),
                null);
        ex.getHeaders().set("Retry-After", "60");
        return ex;
    }

    static ErrorResponseException queueFull(long maxQueued) {
        ErrorResponseException ex = new ErrorResponseException(HttpStatus.SERVICE_UNAVAILABLE,
                Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "queue-full", "Queue full",
                        "The gateway already holds " + maxQueued
                                + " undelivered notifications (gateway.delivery.max-queued);"
                                + " try again when the push service has caught up"),
                null);
        ex.getHeaders().set("Retry-After", "30");
        return ex;
    }

    private static String printable(String text) {
        String shortened = (text.length() > 64) ? text.substring(0, 64) + "..." : text;
        return shortened.replaceAll("[^\\x20-\\x7E]", "?");
    }

}
