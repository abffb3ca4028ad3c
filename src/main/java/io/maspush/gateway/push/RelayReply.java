package io.maspush.gateway.push;

/**
 * What the push service answered to a relayed body: the classified outcome, and for an
 * answer that arrived, its status, content type, {@code Retry-After} and body as sent.
 *
 * @param outcome the classification, as for any call
 * @param contentType the answer's {@code Content-Type}, or {@code null}
 * @param retryAfter the answer's {@code Retry-After} as sent, or {@code null}
 * @param body the answer's body, at most {@link #MAX_BODY} bytes; empty when there was no
 * answer
 */
public record RelayReply(PushOutcome outcome, String contentType, String retryAfter, byte[] body) {

    /** The most of an answer's body that is kept and passed back. */
    public static final int MAX_BODY = 64 * 1024;

    /**
     * Whether the push service answered at all, as opposed to a timeout or an I/O error.
     * @return whether there is a status to pass back
     */
    public boolean answered() {
        return this.outcome.upstreamStatus() != 0;
    }

}
