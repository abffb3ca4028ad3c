package io.maspush.gateway.pushconfig;

import java.time.Duration;

import io.maspush.gateway.environment.PushEnvironments;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The API key age of every environment as {@code push_api_key_age_seconds}, and the
 * settings warnings logged once at startup.
 */
@Component
class PushConfigMetrics {

    private static final Logger logger = LoggerFactory.getLogger(PushConfigMetrics.class);

    private final PushEnvironments environments;

    private final PushConfigService pushConfig;

    PushConfigMetrics(PushEnvironments environments, PushConfigSynchroniser synchroniser, PushConfigService pushConfig,
            MeterRegistry registry) {
        this.environments = environments;
        this.pushConfig = pushConfig;
        for (String name : environments.names()) {
            Gauge
                .builder("push.api.key.age", () -> synchroniser.keyRecord(name)
                    .map((record) -> (double) Duration.between(record.updatedAt(), synchroniser.now()).toSeconds())
                    .orElse(Double.NaN))
                .description("Age of the environment's API key since it was set or first seen")
                .baseUnit("seconds")
                .tag("environment", name)
                .register(registry);
        }
    }

    @EventListener(ApplicationReadyEvent.class)
    void logWarnings() {
        this.environments.all()
            .forEach((environment) -> this.pushConfig.warnings(environment)
                .forEach((warning) -> logger.warn("Push environment {}: {}", environment.name(), warning)));
    }

}
