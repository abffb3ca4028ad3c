package io.maspush.gateway.relay;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import io.maspush.gateway.delivery.RelayCalls;
import io.maspush.gateway.delivery.RelayResult;
import io.maspush.gateway.environment.PushEnvironment;
import io.maspush.gateway.environment.PushEnvironments;
import io.maspush.gateway.notification.Notification;
import io.maspush.gateway.notification.NotificationAccepted;
import io.maspush.gateway.notification.NotificationService;
import io.maspush.gateway.push.PushOutcome;
import io.maspush.gateway.push.RelayReply;
import io.maspush.gateway.push.RelayedBody;
import io.maspush.gateway.secret.Secret;
import io.maspush.gateway.security.CallerKey;
import io.maspush.gateway.security.ClientProperties;
import io.maspush.gateway.security.GatewayClient;
import io.maspush.gateway.web.Problems;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * A drop-in for IBM's {@code sendMessage}: MAS Manage posts here what it would post to
 * the push service, with a gateway client token where it would put the API key. The body
 * goes on as it came, with the environment's real key in place of the token.
 */
@RestController
class RelayController {

    private final RelayCalls relayCalls;

    private final NotificationService notifications;

    private final PushEnvironments environments;

    private final RelayProperties properties;

    private final Map<String, RelayMode> clientModes = new HashMap<>();

    RelayController(RelayCalls relayCalls, NotificationService notifications, PushEnvironments environments,
            RelayProperties properties, ClientProperties clients) {
        this.relayCalls = relayCalls;
        this.notifications = notifications;
        this.environments = environments;
        this.properties = properties;
        clients.clients()
            .stream()
            .filter((client) -> client.relayMode() != null)
            .forEach((client) -> this.clientModes.put(client.id(), client.relayMode()));
    }

    @PostMapping("/pushnotification/sendMessage")
    ResponseEntity<?> relay(@AuthenticationPrincipal GatewayClient client, @RequestBody(required = false) byte[] body,
            HttpServletRequest request) {
        PushEnvironment environment = this.environments.get(client.environment());
        RelayedBody relayed = RelayBodies.prepare(body, CallerKey.of(request), this.properties.bundleIdField(),
                this.properties.addBundleId() ? environment.settings().bundleId() : null);
        if (modeOf(client) == RelayMode.QUEUE) {
            Notification notification = this.notifications.acceptRelayed(client, relayed);
            return ResponseEntity.status(HttpStatus.ACCEPTED)
                .location(URI.create("/api/v1/notifications/" + notification.id()))
                .body(NotificationAccepted.of(notification));
        }
        RelayResult result = this.relayCalls.relay(environment, client.id(), relayed);
        if (result instanceof RelayResult.Answered answered) {
            return passBack(answered.reply(), environment.settings().apiKey());
        }
        if (result instanceof RelayResult.Unanswered unanswered) {
            return unanswered(unanswered.outcome());
        }
        RelayResult.Refused refused = (RelayResult.Refused) result;
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
            .header(HttpHeaders.RETRY_AFTER, String.valueOf(Math.max(1, seconds(refused.retryAfter()))))
            .body(Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "relay-refused", "Not sent to the push service",
                    "The gateway did not call the push service: " + refused.reason()
                            + ". Nothing was sent; retry after the time in Retry-After"));
    }

    private RelayMode modeOf(GatewayClient client) {
        return this.clientModes.getOrDefault(client.id(), this.properties.mode());
    }

    /**
     * The push service's answer as it was, except that the real key, should the service
     * ever echo it, never reaches the caller.
     */
    private static ResponseEntity<byte[]> passBack(RelayReply reply, Secret key) {
        ResponseEntity.BodyBuilder answer = ResponseEntity.status(reply.outcome().upstreamStatus());
        if (reply.contentType() != null) {
            answer.header(HttpHeaders.CONTENT_TYPE, reply.contentType());
        }
        if (reply.retryAfter() != null) {
            answer.header(HttpHeaders.RETRY_AFTER, reply.retryAfter());
        }
        return answer.body(redact(reply.body(), key));
    }

    private static byte[] redact(byte[] body, Secret key) {
        String text = new String(body, StandardCharsets.UTF_8);
        if (key == null || !text.contains(key.reveal())) {
            return body;
        }
        return text.replace(key.reveal(), "[redacted]").getBytes(StandardCharsets.UTF_8);
    }

    private static ResponseEntity<ProblemDetail> unanswered(PushOutcome outcome) {
        HttpStatus status = (outcome.type() == PushOutcome.Type.TIMEOUT) ? HttpStatus.GATEWAY_TIMEOUT
                : HttpStatus.BAD_GATEWAY;
        return ResponseEntity.status(status)
            .body(Problems.of(status, "push-service-unreachable", "Push service did not answer",
                    "The message was not delivered: " + outcome.detail()));
    }

    private static long seconds(Duration duration) {
        return (duration.toMillis() + 999) / 1000;
    }

}
