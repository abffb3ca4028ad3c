package io.maspush.gateway.delivery;

import java.time.Duration;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.RateLimiterRegistry;
import io.maspush.gateway.environment.PushEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * One circuit breaker, one bulkhead and, when a quota is set, one rate limiter per
 * environment, named after it, so that a failing environment opens only its own circuit
 * and fills only its own share of calls. They take their settings from the {@code push}
 * configurations under {@code resilience4j.*} unless an instance of the environment's
 * name is configured there.
 */
@Component
public class ResilienceRegistries {

    private static final Logger logger = LoggerFactory.getLogger(ResilienceRegistries.class);

    static final String CONFIG = "push";

    private final CircuitBreakerRegistry circuitBreakers;

    private final BulkheadRegistry bulkheads;

    private final RateLimiterRegistry rateLimiters;

    ResilienceRegistries(CircuitBreakerRegistry circuitBreakers, BulkheadRegistry bulkheads,
            RateLimiterRegistry rateLimiters) {
        this.circuitBreakers = circuitBreakers;
        this.bulkheads = bulkheads;
        this.rateLimiters = rateLimiters;
        circuitBreakers.getAllCircuitBreakers().forEach(ResilienceRegistries::logTransitions);
        circuitBreakers.getEventPublisher().onEntryAdded((event) -> logTransitions(event.getAddedEntry()));
    }

    private static void logTransitions(CircuitBreaker breaker) {
        breaker.getEventPublisher().onStateTransition((event) -> {
            CircuitBreaker.State to = event.getStateTransition().getToState();
            if (to == CircuitBreaker.State.OPEN || to == CircuitBreaker.State.FORCED_OPEN) {
                logger.warn("Circuit for environment {} opened: the push service keeps failing or answering slowly;"
                        + " deliveries wait and are retried", event.getCircuitBreakerName());
            }
            else if (to == CircuitBreaker.State.CLOSED) {
                logger.info("Circuit for environment {} closed: deliveries flow again", event.getCircuitBreakerName());
            }
        });
    }

    public CircuitBreaker circuitBreaker(String environment) {
        return this.circuitBreakers.find(environment)
            .orElseGet(() -> this.circuitBreakers.getConfiguration(CONFIG)
                .map((config) -> this.circuitBreakers.circuitBreaker(environment, config))
                .orElseGet(() -> this.circuitBreakers.circuitBreaker(environment)));
    }

    Bulkhead bulkhead(String environment) {
        return this.bulkheads.find(environment)
            .orElseGet(() -> this.bulkheads.getConfiguration(CONFIG)
                .map((config) -> this.bulkheads.bulkhead(environment, config))
                .orElseGet(() -> this.bulkheads.bulkhead(environment)));
    }

    /**
     * The environment's outbound rate limiter, following its configured quota.
     * @param environment the environment
     * @return the limiter, or {@code null} when the environment has no quota
     */
    RateLimiter rateLimiter(PushEnvironment environment) {
        int perSecond = environment.settings().rateLimitPerSecond();
        if (perSecond <= 0) {
            return null;
        }
        RateLimiter limiter = this.rateLimiters.rateLimiter(environment.name(),
                () -> RateLimiterConfig.custom()
                    .limitForPeriod(perSecond)
                    .limitRefreshPeriod(Duration.ofSeconds(1))
                    .timeoutDuration(Duration.ofSeconds(1))
                    .build());
        if (limiter.getRateLimiterConfig().getLimitForPeriod() != perSecond) {
            limiter.changeLimitForPeriod(perSecond);
        }
        return limiter;
    }

}
