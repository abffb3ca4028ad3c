package io.maspush.gateway.callback;

/**
 * What one POST of a callback came to.
 *
 * @param type the classification, also the {@code outcome} tag of the attempt metric
 * @param detail why it failed, naming the receiver by host and port only, or {@code null}
 * on success
 */
record CallbackOutcome(Type type, String detail) {

    static final CallbackOutcome SUCCESS = new CallbackOutcome(Type.SUCCESS, null);

    static CallbackOutcome httpError(int status, String target) {
        return new CallbackOutcome(Type.HTTP_ERROR, "the receiver at " + target + " answered " + status);
    }

    boolean succeeded() {
        return this.type == Type.SUCCESS;
    }

    /**
     * How one POST is classified. Every failure is retried: a receiver that answers 4xx
     * today may be fixed by its owner tomorrow, and the backoff keeps the cost low.
     */
    enum Type {

        /** The receiver answered 2xx. */
        SUCCESS("success"),

        /** The receiver answered something else. */
        HTTP_ERROR("http_error"),

        /** No connection or no answer in time. */
        TIMEOUT("timeout"),

        /** The connection failed: refused, reset, unknown host. */
        IO_ERROR("io_error");

        private final String metricTag;

        Type(String metricTag) {
            this.metricTag = metricTag;
        }

        String metricTag() {
            return this.metricTag;
        }

    }

}
