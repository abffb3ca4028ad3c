package io.maspush.gateway.sandbox;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import io.maspush.gateway.environment.PushProperties;
import io.maspush.gateway.secret.Secret;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import org.springframework.context.annotation.Profile;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A stand-in for IBM's push service. It records what it receives (the last 1,000
 * messages), checks the API key the way the real service would, and can be told to answer
 * with a given status for a while, to watch retries, the circuit breaker or a
 * rejected-key pause happen.
 */
@RestController
@RequestMapping("/sandbox")
@Profile("sandbox")
class SandboxPushService {

    private static final int KEPT = 1000;

    private final Deque<ReceivedMessage> received = new ArrayDeque<>();

    private final PushProperties push;

    private final Clock clock;

    private volatile Behaviour behaviour = Behaviour.NORMAL;

    SandboxPushService(PushProperties push, Clock clock) {
        this.push = push;
        this.clock = clock;
    }

    @PostMapping("/pushnotification/sendMessage")
    ResponseEntity<Map<String, Object>> sendMessage(@RequestBody JsonNode message, HttpServletRequest request) {
        Behaviour current = this.behaviour;
        if (current.until() != null && this.clock.instant().isBefore(current.until())) {
            ResponseEntity.BodyBuilder answer = ResponseEntity.status(current.status());
            if (current.retryAfterSeconds() != null) {
                answer.header(HttpHeaders.RETRY_AFTER, String.valueOf(current.retryAfterSeconds()));
            }
            return answer.body(Map.of("error", "sandbox told to answer " + current.status()));
        }
        Secret key = Secret.ofNullable(request.getHeader(this.push.apiKeyHeader()));
        if (key == null || !key.equals(this.push.apiKey())) {
            return ResponseEntity.status(HttpStatus.UNAUTHORIZED).body(Map.of("error", "invalid API key"));
        }
        synchronized (this.received) {
            this.received
                .addFirst(new ReceivedMessage(this.clock.instant(), request.getHeader("Idempotency-Key"), message));
            while (this.received.size() > KEPT) {
                this.received.removeLast();
            }
        }
        return ResponseEntity.ok(Map.of("status", "sent"));
    }

    @GetMapping("/messages")
    List<ReceivedMessage> messages() {
        synchronized (this.received) {
            return List.copyOf(this.received);
        }
    }

    @DeleteMapping("/messages")
    ResponseEntity<Void> clear() {
        synchronized (this.received) {
            this.received.clear();
        }
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/behaviour")
    Behaviour behaviour() {
        return this.behaviour;
    }

    /**
     * Answer every message with a status for a number of seconds, optionally with a
     * {@code Retry-After}.
     * @param change the status, for how long, and the Retry-After seconds
     * @return the behaviour now in force
     */
    @PutMapping("/behaviour")
    Behaviour changeBehaviour(@Valid @RequestBody BehaviourChange change) {
        this.behaviour = new Behaviour(change.status(), change.retryAfterSeconds(),
                this.clock.instant().plus(Duration.ofSeconds(change.seconds())));
        return this.behaviour;
    }

    /**
     * A message the stand-in received.
     *
     * @param receivedAt when
     * @param idempotencyKey the gateway's notification id
     * @param message the JSON body as sent
     */
    record ReceivedMessage(Instant receivedAt, String idempotencyKey, JsonNode message) {
    }

    /**
     * How the stand-in answers at the moment.
     *
     * @param status the status it answers with until {@code until}
     * @param retryAfterSeconds the Retry-After it adds, or {@code null}
     * @param until when it goes back to answering normally, or {@code null}
     */
    record Behaviour(int status, Integer retryAfterSeconds, Instant until) {

        static final Behaviour NORMAL = new Behaviour(200, null, null);

    }

    /**
     * A request to change the behaviour.
     *
     * @param status an HTTP status from 200 to 599
     * @param seconds for how long, 1 to 3600
     * @param retryAfterSeconds an optional Retry-After
     */
    record BehaviourChange(@Min(200) @Max(599) int status, @Min(1) @Max(3600) int seconds,
            @Min(0) @Max(3600) Integer retryAfterSeconds) {
    }

}
