package io.maspush.gateway.push;

import java.time.Duration;

/**
 * What one call to the push service came to, classified once so that the dispatcher, the
 * circuit breaker and the metrics all agree.
 *
 * @param type the classification
 * @param upstreamStatus the HTTP status the push service answered with, or 0 when it did
 * not answer
 * @param detail a short explanation in an administrator's terms, safe to store and show
 * (no secret, no message body)
 * @param retryAfter how long the push service asked us to wait, or {@code null}
 */
public record PushOutcome(Type type, int upstreamStatus, String detail, Duration retryAfter) {

    public static PushOutcome delivered(int status) {
        return new PushOutcome(Type.DELIVERED, status, null, null);
    }

    public static PushOutcome timeout(String detail) {
        return new PushOutcome(Type.TIMEOUT, 0, detail, null);
    }

    public static PushOutcome ioError(String detail) {
        return new PushOutcome(Type.IO_ERROR, 0, detail, null);
    }

    /**
     * Classify an HTTP answer of the push service.
     * @param status the HTTP status
     * @param detail a short explanation
     * @param retryAfter the parsed {@code Retry-After}, or {@code null}
     * @return the outcome
     */
    public static PushOutcome ofStatus(int status, String detail, Duration retryAfter) {
        Type type = switch (status) {
            case 401, 403 -> Type.KEY_REJECTED;
            // 407 comes from a proxy, not the push service: fixing its credentials makes
            // the same message deliverable, so it is not worth failing for good.
            case 407, 408, 425, 429, 500, 502, 503, 504 -> Type.RETRYABLE;
            default -> (status >= 200 && status < 300) ? Type.DELIVERED : Type.PERMANENT;
        };
        return new PushOutcome(type, status, (type != Type.DELIVERED) ? detail : null, retryAfter);
    }

    /**
     * Whether the push service asked the whole sender to slow down, not just this
     * message: a 429 or a 503 with a {@code Retry-After}. Hosted push services ban
     * senders that keep calling through such an answer.
     * @return whether the environment should hold back until {@link #retryAfter()}
     */
    public boolean holdsEnvironment() {
        return this.retryAfter != null && (this.upstreamStatus == 429 || this.upstreamStatus == 503);
    }

    /**
     * How one call is classified.
     */
    public enum Type {

        /** 2xx: the push service took the message. */
        DELIVERED("success"),

        /**
         * A status worth trying again later (407 from a proxy, 408, 425, 429, 500, 502,
         * 503, 504).
         */
        RETRYABLE("retryable"),

        /**
         * No answer within the response timeout, or no connection within the connect
         * timeout.
         */
        TIMEOUT("timeout"),

        /** The connection failed or broke: refused, reset, unknown host, TLS failure. */
        IO_ERROR("io_error"),

        /**
         * A status that will not change on a retry, such as 400 or 404: the notification
         * fails for good.
         */
        PERMANENT("permanent"),

        /**
         * 401 or 403: the API key is wrong or revoked; the environment pauses until it is
         * fixed.
         */
        KEY_REJECTED("auth_rejected");

        private final String metricTag;

        Type(String metricTag) {
            this.metricTag = metricTag;
        }

        /**
         * The value of the {@code outcome} tag on delivery metrics.
         * @return the tag value
         */
        public String metricTag() {
            return this.metricTag;
        }

        /**
         * Whether a failure of this kind says the push service or the network is
         * unhealthy, which is what the circuit breaker counts. A rejected key, a rate
         * limit or a bad message says nothing about health.
         * @return whether the circuit breaker records it as a failure
         */
        public boolean isUpstreamFailure() {
            return this == TIMEOUT || this == IO_ERROR;
        }

        public boolean isRetryable() {
            return this == RETRYABLE || this == TIMEOUT || this == IO_ERROR;
        }

    }

}
