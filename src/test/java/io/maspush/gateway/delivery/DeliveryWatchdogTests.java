package io.maspush.gateway.delivery;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import io.maspush.gateway.environment.PushProperties;
import io.maspush.gateway.environment.PushEnvironments;
import io.maspush.gateway.notification.NotificationRepository;
import io.maspush.gateway.secret.Secret;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.health.Status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * The liveness watchdog tells a stalled dispatcher from an idle one, a paused environment
 * or an open circuit.
 */
class DeliveryWatchdogTests {

    private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");

    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

    private final NotificationRepository repository = mock(NotificationRepository.class);

    private final DeliveryDispatcher dispatcher = mock(DeliveryDispatcher.class);

    private final CircuitBreakerRegistry circuitBreakers = CircuitBreakerRegistry.ofDefaults();

    private EnvironmentGates gates;

    private DeliveryWatchdog watchdog;

    @BeforeEach
    void createWatchdog() {
        PushEnvironments environments = TestEnvironments.withDefault(new PushProperties("com.ibm.iot.maximo.mobile",
                URI.create(PushProperties.DEFAULT_URL), Secret.ofNullable("key"), null, "X-API-Key", false, null, null,
                null, null, Duration.ofSeconds(2), Duration.ofSeconds(10), 0, Duration.ofDays(365)));
        ResilienceRegistries resilience = new ResilienceRegistries(this.circuitBreakers, BulkheadRegistry.ofDefaults(),
                RateLimiterRegistry.ofDefaults());
        this.gates = new EnvironmentGates(Clock.fixed(NOW.minus(Duration.ofHours(1)), ZoneOffset.UTC));
        DeliveryProperties properties = new DeliveryProperties(12, Duration.ofSeconds(1), 2.0, Duration.ofMinutes(5),
                Duration.ofSeconds(1), 100, Duration.ofSeconds(60), Duration.ofSeconds(60), Duration.ofMinutes(5),
                Duration.ofSeconds(20), "test");
        given(this.dispatcher.isRunning()).willReturn(true);
        given(this.dispatcher.lastSweep()).willReturn(NOW.minusSeconds(1));
        this.watchdog = new DeliveryWatchdog(this.dispatcher, environments, this.gates, resilience, this.repository,
                properties, this.clock);
    }

    @Test
    void upWhenNothingIsDue() {
        given(this.repository.oldestDue("default", NOW)).willReturn(Optional.empty());

        assertThat(this.watchdog.health().getStatus()).isEqualTo(Status.UP);
    }

    @Test
    void downWhenNotificationsWereDueLongerThanTheThresholdAndNoAttemptStarted() {
        given(this.repository.oldestDue("default", NOW)).willReturn(Optional.of(NOW.minus(Duration.ofMinutes(10))));

        assertThat(this.watchdog.health().getStatus()).isEqualTo(Status.DOWN);
        assertThat(this.watchdog.health().getDetails()).containsKey("default");
    }

    @Test
    void upWhileAttemptsKeepStartingEvenWithAnOldBacklog() {
        given(this.repository.oldestDue("default", NOW)).willReturn(Optional.of(NOW.minus(Duration.ofMinutes(10))));
        this.gates.get("default").attemptStarted(NOW.minusSeconds(5));

        assertThat(this.watchdog.health().getStatus()).isEqualTo(Status.UP);
    }

    @Test
    void upWhileTheEnvironmentIsPausedByARejectedKey() {
        given(this.repository.oldestDue("default", NOW)).willReturn(Optional.of(NOW.minus(Duration.ofMinutes(10))));
        this.gates.get("default").pause("key rejected", NOW.minus(Duration.ofMinutes(30)));

        assertThat(this.watchdog.health().getStatus()).isEqualTo(Status.UP);
    }

    @Test
    void upWhileTheCircuitIsOpen() {
        given(this.repository.oldestDue("default", NOW)).willReturn(Optional.of(NOW.minus(Duration.ofMinutes(10))));
        this.circuitBreakers.circuitBreaker("default").transitionToOpenState();

        assertThat(this.watchdog.health().getStatus()).isEqualTo(Status.UP);
    }

    @Test
    void downWhenTheSweepHasStoppedRunning() {
        given(this.dispatcher.lastSweep()).willReturn(NOW.minus(Duration.ofMinutes(6)));

        assertThat(this.watchdog.health().getStatus()).isEqualTo(Status.DOWN);
    }

}
