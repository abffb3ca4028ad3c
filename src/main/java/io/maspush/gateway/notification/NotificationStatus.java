package io.maspush.gateway.notification;

/**
 * Where a notification stands. Only {@link #QUEUED} changes; the others are final.
 */
public enum NotificationStatus {

    /** Waiting for its first attempt or between retries. */
    QUEUED,

    /** The push service took it. */
    DELIVERED,

    /** It will never be delivered; {@code lastError} says why. */
    FAILED,

    /** Its time to live ran out before it could be delivered. */
    EXPIRED;

    public boolean isFinal() {
        return this != QUEUED;
    }

}
