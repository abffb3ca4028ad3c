package io.maspush.gateway.delivery;

import io.maspush.gateway.environment.PushEnvironments;
import io.maspush.gateway.environment.PushProperties;

/**
 * Builds {@link PushEnvironments} outside a Spring context.
 */
final class TestEnvironments {

    private TestEnvironments() {
    }

    static PushEnvironments withDefault(PushProperties properties) {
        return io.maspush.gateway.environment.TestPushEnvironments.of(properties);
    }

}
