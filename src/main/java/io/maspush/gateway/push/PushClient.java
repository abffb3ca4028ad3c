package io.maspush.gateway.push;

import io.maspush.gateway.environment.PushEnvironment;

/**
 * Sends one message to an environment's push service. Implementations never throw for
 * anything the network or the push service does: every result, including timeouts and
 * refused connections, comes back as a {@link PushOutcome}.
 */
public interface PushClient {

    PushOutcome send(PushEnvironment environment, PushMessage message);

    /**
     * Forward a relayed body with the environment's key in it and in the key header.
     * @param environment the environment
     * @param body the caller's body without the caller's key
     * @param idempotencyKey sent as {@code Idempotency-Key}, the same on every retry
     * @return the answer, or the outcome alone when there was none
     */
    RelayReply forward(PushEnvironment environment, RelayedBody body, String idempotencyKey);

}
