package io.maspush.gateway.push;

import io.maspush.gateway.environment.PushEnvironment;

/**
 * Sends one message to an environment's push service. Implementations never throw for
 * anything the network or the push service does: every result, including timeouts and
 * refused connections, comes back as a {@link PushOutcome}.
 */
public interface PushClient {

    PushOutcome send(PushEnvironment environment, PushMessage message);

}
