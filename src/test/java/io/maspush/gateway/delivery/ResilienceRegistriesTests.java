package io.maspush.gateway.delivery;

import java.net.URI;
import java.time.Duration;

import io.github.resilience4j.bulkhead.BulkheadConfig;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import io.maspush.gateway.environment.PushEnvironment;
import io.maspush.gateway.environment.PushSettings;
import io.maspush.gateway.secret.Secret;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ResilienceRegistriesTests {

    private final CircuitBreakerRegistry circuitBreakers = CircuitBreakerRegistry.ofDefaults();

    private final BulkheadRegistry bulkheads = BulkheadRegistry.ofDefaults();

    private final ResilienceRegistries registries = new ResilienceRegistries(this.circuitBreakers, this.bulkheads,
            RateLimiterRegistry.ofDefaults());

    @Test
    void givesEachEnvironmentItsOwnCircuitBreakerAndBulkhead() {
        assertThat(this.registries.circuitBreaker("prod")).isNotSameAs(this.registries.circuitBreaker("test"));
        assertThat(this.registries.circuitBreaker("prod")).isSameAs(this.registries.circuitBreaker("prod"));
        assertThat(this.registries.bulkhead("prod")).isNotSameAs(this.registries.bulkhead("test"));
    }

    @Test
    void takesThePushConfigurationWhenOneIsRegistered() {
        this.circuitBreakers.addConfiguration(ResilienceRegistries.CONFIG,
                CircuitBreakerConfig.custom().minimumNumberOfCalls(3).build());
        this.bulkheads.addConfiguration(ResilienceRegistries.CONFIG,
                BulkheadConfig.custom().maxConcurrentCalls(7).build());

        assertThat(this.registries.circuitBreaker("prod").getCircuitBreakerConfig().getMinimumNumberOfCalls())
            .isEqualTo(3);
        assertThat(this.registries.bulkhead("prod").getBulkheadConfig().getMaxConcurrentCalls()).isEqualTo(7);
    }

    @Test
    void hasNoRateLimiterWithoutAQuota() {
        assertThat(this.registries.rateLimiter(environment(0))).isNull();
    }

    @Test
    void rateLimiterLetsTheQuotaThroughThenMakesCallersWaitForTheNextSecond() {
        RateLimiter limiter = this.registries.rateLimiter(environment(5));
        for (int i = 0; i < 5; i++) {
            assertThat(limiter.acquirePermission()).isTrue();
        }
        long start = System.nanoTime();

        boolean sixth = limiter.acquirePermission();

        assertThat(sixth).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(1))
            .isLessThan(Duration.ofMillis(1100));
        assertThat(limiter.getMetrics().getAvailablePermissions()).isLessThanOrEqualTo(4);
    }

    @Test
    void rateLimiterFollowsAChangedQuota() {
        this.registries.rateLimiter(environment(5));

        RateLimiter changed = this.registries.rateLimiter(environment(20));

        assertThat(changed.getRateLimiterConfig().getLimitForPeriod()).isEqualTo(20);
    }

    private static PushEnvironment environment(int perSecond) {
        return new PushEnvironment("prod",
                new PushSettings("com.ibm.iot.maximo.mobile", URI.create("https://push"), Secret.ofNullable("key"),
                        "X-API-Key", false, null, Duration.ofSeconds(2), Duration.ofSeconds(10), perSecond),
                io.maspush.gateway.environment.KeySource.CONFIG);
    }

}
