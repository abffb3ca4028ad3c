package io.maspush.gateway.delivery;

import java.time.Duration;
import java.util.Locale;
import java.util.stream.Stream;

import io.maspush.gateway.environment.PushEnvironment;
import io.maspush.gateway.environment.PushEnvironments;
import io.maspush.gateway.notification.NotificationCompleted;
import io.maspush.gateway.notification.NotificationRepository;
import io.maspush.gateway.push.PushOutcome;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import org.springframework.boot.convert.DurationStyle;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * The gateway's own delivery metrics, all prefixed {@code push_} and tagged with the
 * environment. Tag values are bounded: never a user id, a notification id or a title.
 */
@Component
public class DeliveryMetrics {

    /**
     * Histogram buckets from 5 ms to 5 min: push calls take tens of milliseconds when
     * healthy and up to the response timeout when not, and end-to-end latency includes
     * retries of up to minutes.
     */
    static final Duration[] LATENCY_BUCKETS = Stream
        .of("5ms", "10ms", "25ms", "50ms", "100ms", "250ms", "500ms", "1s", "2500ms", "5s", "10s", "30s", "1m", "2m",
                "5m")
        .map(DurationStyle.SIMPLE::parse)
        .toArray(Duration[]::new);

    private final MeterRegistry registry;

    DeliveryMetrics(MeterRegistry registry, PushEnvironments environments, NotificationRepository repository,
            EnvironmentGates gates) {
        this.registry = registry;
        for (PushEnvironment environment : environments.all()) {
            String name = environment.name();
            Gauge.builder("push.notifications.queued", () -> repository.countQueued(name))
                .description("Notifications waiting for their first attempt or a retry")
                .tag("environment", name)
                .register(registry);
            Gauge.builder("push.delivery.paused", () -> gates.get(name).isPaused() ? 1 : 0)
                .description("1 while deliveries are paused because the push service rejected the API key")
                .tags("environment", name, "reason", "key_rejected")
                .register(registry);
        }
    }

    /**
     * Count an accepted notification.
     * @param environment its environment
     * @param clientId the client that sent it
     */
    public void accepted(String environment, String clientId) {
        Counter.builder("push.notifications.accepted")
            .description("Notifications accepted and stored")
            .tags("environment", environment, "client", clientId)
            .register(this.registry)
            .increment();
    }

    void attempt(String environment, String outcome) {
        Counter.builder("push.delivery.attempts")
            .description("Delivery attempts by outcome, including those the circuit breaker refused")
            .tags("environment", environment, "outcome", outcome)
            .register(this.registry)
            .increment();
    }

    void upstreamCall(String environment, PushOutcome outcome, Duration duration) {
        attempt(environment, outcome.type().metricTag());
        Timer.builder("push.upstream.requests")
            .description("Calls to the push service by outcome")
            .tags("environment", environment, "outcome", outcome.type().metricTag())
            .serviceLevelObjectives(LATENCY_BUCKETS)
            .register(this.registry)
            .record(duration);
    }

    @EventListener
    void completed(NotificationCompleted completed) {
        Counter.builder("push.notifications.completed")
            .description("Notifications that reached a final status")
            .tags("environment", completed.environment(), "status", completed.status().name().toLowerCase(Locale.ROOT),
                    "reason", completed.reason())
            .register(this.registry)
            .increment();
    }

}
