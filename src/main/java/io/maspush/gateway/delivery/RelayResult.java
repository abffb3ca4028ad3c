package io.maspush.gateway.delivery;

import java.time.Duration;

import io.maspush.gateway.push.PushOutcome;
import io.maspush.gateway.push.RelayReply;

/**
 * How a synchronous relay ended: the push service's own answer, no answer at all, or a
 * refusal of the gateway's before any call.
 */
public sealed interface RelayResult {

    /**
     * The push service answered; its answer goes back to the caller as it is.
     *
     * @param reply the answer
     */
    record Answered(RelayReply reply) implements RelayResult {
    }

    /**
     * Every attempt within the deadline timed out or failed on the network.
     *
     * @param outcome the last attempt's outcome, with its explanation
     */
    record Unanswered(PushOutcome outcome) implements RelayResult {
    }

    /**
     * The gateway did not call the push service, to protect it or the sender.
     *
     * @param reason why, in an administrator's terms
     * @param retryAfter when trying again makes sense
     */
    record Refused(String reason, Duration retryAfter) implements RelayResult {
    }

}
