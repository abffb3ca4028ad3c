package io.maspush.gateway.pushconfig;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.maspush.gateway.delivery.EnvironmentGates;
import io.maspush.gateway.delivery.ResilienceRegistries;
import io.maspush.gateway.environment.PushEnvironment;
import io.maspush.gateway.environment.PushEnvironments;
import io.maspush.gateway.notification.Priority;
import io.maspush.gateway.push.PushClient;
import io.maspush.gateway.push.PushMessage;
import io.maspush.gateway.push.PushOutcome;
import io.maspush.gateway.web.Problems;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.ErrorResponseException;

/**
 * Sends one test notification now, outside the queue but through the same client and
 * circuit breaker as deliveries, and explains a failure in an administrator's terms.
 */
@Component
class PushTester {

    private final PushEnvironments environments;

    private final PushClient pushClient;

    private final ResilienceRegistries resilience;

    private final EnvironmentGates gates;

    private final Clock clock;

    PushTester(PushEnvironments environments, PushClient pushClient, ResilienceRegistries resilience,
            EnvironmentGates gates, Clock clock) {
        this.environments = environments;
        this.pushClient = pushClient;
        this.resilience = resilience;
        this.gates = gates;
        this.clock = clock;
    }

    /**
     * Send the test notification.
     * @param name the environment
     * @param request what to send
     * @return the outcome when the push service took it
     * @throws ErrorResponseException with a problem detail that says what to do when it
     * did not
     */
    TestResult send(String name, PushTestRequest request) {
        PushEnvironment environment = this.environments.get(name);
        if (!environment.settings().isConfigured()) {
            throw failure(HttpStatus.CONFLICT, "push-not-configured", "Push is not configured",
                    "Environment '" + name + "' has no API key: generate one on IBM's push notification portal and"
                            + " set it (PUT .../push-config with apiKey, a key file, or the configuration)",
                    null, 0);
        }
        CircuitBreaker breaker = this.resilience.circuitBreaker(name);
        if (!breaker.tryAcquirePermission()) {
            throw failure(HttpStatus.SERVICE_UNAVAILABLE, "circuit-open", "Circuit open",
                    "The circuit breaker of environment '" + name + "' is open after repeated failures of the push"
                            + " service; run the connectivity check, and try again when it half-opens",
                    null, 0);
        }
        PushMessage message = new PushMessage(environment.settings().bundleId(), "test-" + UUID.randomUUID(),
                List.of(request.recipient()), (request.title() != null) ? request.title() : "Test notification",
                (request.body() != null) ? request.body() : "Test from mas-push-gateway: push works", "TEST",
                Priority.NORMAL.name(), null, this.clock.instant().plus(Duration.ofMinutes(10)));
        long start = System.nanoTime();
        PushOutcome outcome = this.pushClient.send(environment, message);
        long nanos = System.nanoTime() - start;
        if (outcome.type().isUpstreamFailure()) {
            breaker.onError(nanos, TimeUnit.NANOSECONDS, new IllegalStateException(outcome.detail()));
        }
        else {
            breaker.onSuccess(nanos, TimeUnit.NANOSECONDS);
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(nanos);
        if (outcome.type() == PushOutcome.Type.DELIVERED) {
            this.gates.resume(name, "a test notification was accepted by the push service");
            return new TestResult("delivered", outcome.upstreamStatus(), millis);
        }
        throw explain(name, environment, outcome, millis);
    }

    private static ErrorResponseException explain(String name, PushEnvironment environment, PushOutcome outcome,
            long millis) {
        String host = environment.settings().url().getHost();
        int port = environment.settings().port();
        return switch (outcome.type()) {
            case KEY_REJECTED -> failure(HttpStatus.BAD_GATEWAY, "key-rejected", "API key rejected",
                    "The push service" + " rejected the API key of environment '" + name + "' (HTTP "
                            + outcome.upstreamStatus()
                            + "). Generate a new key on https://pushnotification.suite.maximo.com/pushnotification/auth"
                            + " and set it here; a key shown once on the portal cannot be recovered",
                    outcome, millis);
            case TIMEOUT -> failure(HttpStatus.GATEWAY_TIMEOUT, "push-timeout", "Push service timed out",
                    outcome.detail() + ". Outbound HTTPS to " + host + " may be blocked by a network policy, a"
                            + " firewall or a proxy; run the connectivity check to see which step fails",
                    outcome, millis);
            case IO_ERROR -> failure(HttpStatus.BAD_GATEWAY, "push-unreachable", "Push service unreachable",
                    outcome.detail() + ". Check that " + host + " is reachable on port " + port + " from the gateway's"
                            + " namespace (network policy, firewall, proxy settings); a TLS failure behind an"
                            + " intercepting proxy needs the proxy's CA in the gateway's trust store",
                    outcome, millis);
            case PERMANENT -> failure(HttpStatus.BAD_GATEWAY, "push-refused", "Push service refused the message",
                    outcome.detail() + ((outcome.upstreamStatus() == 404)
                            ? ". The URL may be outdated: IBM's is " + "https://pushnotification.suite.maximo.com"
                                    + "/pushnotification/sendMessage"
                            : ". Check the bundle identifier and the recipient"),
                    outcome, millis);
            default -> failure(HttpStatus.BAD_GATEWAY, "push-unavailable", "Push service unavailable",
                    outcome.detail() + ". The push service is failing or rate limiting; queued notifications are"
                            + " retried automatically",
                    outcome, millis);
        };
    }

    private static ErrorResponseException failure(HttpStatus status, String type, String title, String detail,
            PushOutcome outcome, long millis) {
        ProblemDetail problem = Problems.of(status, type, title, detail);
        if (outcome != null) {
            problem.setProperty("outcome", outcome.type().metricTag());
            problem.setProperty("upstreamStatus", outcome.upstreamStatus());
            problem.setProperty("tookMs", millis);
        }
        return new ErrorResponseException(status, problem, null);
    }

    /**
     * A test notification the push service took.
     *
     * @param outcome {@code delivered}
     * @param upstreamStatus the push service's HTTP status
     * @param tookMs how long the call took
     */
    record TestResult(String outcome, int upstreamStatus, long tookMs) {
    }

}
