package io.maspush.gateway.delivery;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.maspush.gateway.environment.PushEnvironment;
import io.maspush.gateway.environment.PushEnvironments;
import io.maspush.gateway.notification.NotificationCompleted;
import io.maspush.gateway.notification.NotificationStatus;
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

    /**
     * Categories beyond this many distinct values are counted as {@code other}, to keep
     * the tag bounded.
     */
    static final int MAX_CATEGORIES = 50;

    private final MeterRegistry registry;

    private final Set<String> categories = ConcurrentHashMap.newKeySet();

    DeliveryMetrics(MeterRegistry registry, PushEnvironments environments, NotificationRepository repository,
            EnvironmentGates gates, ResilienceRegistries resilience, RelayConcurrency relays, Clock clock) {
        this.registry = registry;
        for (PushEnvironment environment : environments.all()) {
            String name = environment.name();
            Gauge.builder("push.notifications.queued", () -> repository.countQueued(name))
                .description("Notifications waiting for their first attempt or a retry")
                .tag("environment", name)
                .register(registry);
            Gauge.builder("push.queue.oldest.age", () -> oldestDueAge(repository, name, clock))
                .description("How long the longest-waiting due notification has been due")
                .baseUnit("seconds")
                .tag("environment", name)
                .register(registry);
            Gauge.builder("push.delivery.paused", () -> gates.get(name).isPaused() ? 1 : 0)
                .description("1 while deliveries are paused for the reason in the tag")
                .tags("environment", name, "reason", "key_rejected")
                .register(registry);
            Gauge.builder("push.delivery.paused", () -> gates.get(name).isHeldAt(clock.instant()) ? 1 : 0)
                .description("1 while deliveries are paused for the reason in the tag")
                .tags("environment", name, "reason", "rate_limited")
                .register(registry);
            Gauge.builder("push.delivery.paused", () -> environments.get(name).settings().isConfigured() ? 0 : 1)
                .description("1 while deliveries are paused for the reason in the tag")
                .tags("environment", name, "reason", "not_configured")
                .register(registry);
            Gauge.builder("push.upstream.in.flight", () -> inFlight(resilience, name) + relays.inFlight(name))
                .description("Calls to the push service under way, queued deliveries and relayed messages")
                .tag("environment", name)
                .register(registry);
        }
    }

    private static double oldestDueAge(NotificationRepository repository, String environment, Clock clock) {
        Instant now = clock.instant();
        return repository.oldestDue(environment, now)
            .map((due) -> Duration.between(due, now).toMillis() / 1000.0)
            .orElse(0.0);
    }

    private static double inFlight(ResilienceRegistries resilience, String environment) {
        Bulkhead bulkhead = resilience.bulkhead(environment);
        return bulkhead.getBulkheadConfig().getMaxConcurrentCalls()
                - bulkhead.getMetrics().getAvailableConcurrentCalls();
    }

    /**
     * Count an accepted notification.
     * @param environment its environment
     * @param clientId the client that sent it
     * @param category its category, or {@code null}
     * @param api the API it came through
     */
    public void accepted(String environment, String clientId, String category, String api) {
        Counter.builder("push.notifications.accepted")
            .description("Notifications accepted, stored or relayed")
            .tags("environment", environment, "client", clientId, "category", boundedCategory(category), "api", api)
            .register(this.registry)
            .increment();
    }

    private String boundedCategory(String category) {
        if (category == null) {
            return "none";
        }
        if (this.categories.contains(category)
                || (this.categories.size() < MAX_CATEGORIES && this.categories.add(category))) {
            return category;
        }
        return "other";
    }

    void delivered(String environment, String api, Duration sinceAccepted) {
        Timer.builder("push.delivery.latency")
            .description("From acceptance to delivery, retries included")
            .tags("environment", environment, "api", api)
            .serviceLevelObjectives(LATENCY_BUCKETS)
            .register(this.registry)
            .record(sinceAccepted);
    }

    void attempt(String environment, String api, String outcome) {
        Counter.builder("push.delivery.attempts")
            .description("Delivery attempts by outcome, including those the circuit breaker refused")
            .tags("environment", environment, "outcome", outcome, "api", api)
            .register(this.registry)
            .increment();
    }

    void upstreamCall(String environment, String api, PushOutcome outcome, Duration duration) {
        attempt(environment, api, outcome.type().metricTag());
        Timer.builder("push.upstream.requests")
            .description("Calls to the push service by outcome")
            .tags("environment", environment, "outcome", outcome.type().metricTag(), "api", api)
            .serviceLevelObjectives(LATENCY_BUCKETS)
            .register(this.registry)
            .record(duration);
    }

    @EventListener
    void completed(NotificationCompleted completed) {
        completed(completed.environment(), completed.api(), completed.status(), completed.reason());
    }

    void completed(String environment, String api, NotificationStatus status, String reason) {
        Counter.builder("push.notifications.completed")
            .description("Notifications that reached a final status")
            .tags("environment", environment, "status", status.name().toLowerCase(Locale.ROOT), "reason", reason, "api",
                    api)
            .register(this.registry)
            .increment();
    }

}
