package io.maspush.gateway.environment;

/**
 * Gives tests in other packages access to the package-private constructor of
 * {@link PushEnvironments}.
 */
public final class TestPushEnvironments {

    private TestPushEnvironments() {
    }

    public static PushEnvironments of(PushProperties properties) {
        return new PushEnvironments(properties, new EnvironmentsProperties(java.util.Map.of()));
    }

}
