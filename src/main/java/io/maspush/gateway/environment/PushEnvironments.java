package io.maspush.gateway.environment;

import java.util.List;
import java.util.Optional;

import org.springframework.stereotype.Component;

/**
 * The push environments this gateway delivers to and their current settings. Callers look
 * settings up for every delivery rather than keeping them, so that a changed key or URL
 * applies to the next delivery without a restart.
 */
@Component
public class PushEnvironments {

    private final List<PushEnvironment> environments;

    PushEnvironments(PushProperties defaultPush) {
        this.environments = List.of(new PushEnvironment(PushEnvironment.DEFAULT, defaultPush.toSettings()));
    }

    public List<PushEnvironment> all() {
        return this.environments;
    }

    public Optional<PushEnvironment> find(String name) {
        return this.environments.stream().filter((environment) -> environment.name().equals(name)).findFirst();
    }

    /**
     * The environment of that name, which must exist: notifications are only stored for
     * known environments.
     * @param name the environment's name
     * @return the environment
     */
    public PushEnvironment get(String name) {
        return find(name).orElseThrow(() -> new IllegalStateException("Unknown push environment '" + name + "'"));
    }

}
