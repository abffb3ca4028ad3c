package io.maspush.gateway.environment;

import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The push environments this gateway delivers to and their current settings. Callers look
 * settings up for every delivery rather than keeping them, so that a changed key or URL
 * applies to the next delivery without a restart.
 */
@Component
public class PushEnvironments {

    private static final Logger logger = LoggerFactory.getLogger(PushEnvironments.class);

    private final List<PushEnvironment> environments;

    PushEnvironments(PushProperties defaultPush) {
        this.environments = List.of(new PushEnvironment(PushEnvironment.DEFAULT, defaultPush.toSettings()));
    }

    @EventListener(ApplicationReadyEvent.class)
    void warnAboutUnconfigured() {
        this.environments.stream()
            .filter((environment) -> !environment.settings().isConfigured())
            .forEach(
                    (environment) -> logger.warn(
                            "Push environment {} has no API key: notifications are refused with"
                                    + " 503 until GATEWAY_PUSH_API_KEY (gateway.push.api-key) is set",
                            environment.name()));
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
