package io.maspush.gateway.relay;

/**
 * How a relayed message is sent.
 */
public enum RelayMode {

    /**
     * One call to the push service, retried within a deadline, whose status and body are
     * the caller's answer: MAS Manage sees what it would have seen.
     */
    SYNC,

    /**
     * Stored durably and answered {@code 202} with its id; the dispatcher delivers it
     * like any notification.
     */
    QUEUE

}
