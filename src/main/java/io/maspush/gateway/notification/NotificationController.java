package io.maspush.gateway.notification;

import java.net.URI;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.maspush.gateway.notification.NotificationService.Accepted;
import io.maspush.gateway.security.GatewayClient;
import jakarta.validation.Valid;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The notification API: send one, and read its status.
 */
@RestController
@RequestMapping("/api/v1/notifications")
class NotificationController {

    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x20-\\x7E]{1,255}");

    private static final Pattern WAIT_PREFERENCE = Pattern.compile("(?:^|[,;\\s])wait\\s*=\\s*(\\d{1,6})(?:$|[,;\\s])");

    private static final int MAX_WAIT_SECONDS = 30;

    private final NotificationService notifications;

    private final NotificationWaiters waiters;

    NotificationController(NotificationService notifications, NotificationWaiters waiters) {
        this.notifications = notifications;
        this.waiters = waiters;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<Object> send(@AuthenticationPrincipal GatewayClient client,
            @Valid @RequestBody NotificationRequest request,
            @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey,
            @RequestHeader(name = "Prefer", required = false) String prefer) {
        if (idempotencyKey != null && !IDEMPOTENCY_KEY.matcher(idempotencyKey).matches()) {
            throw NotificationProblems.invalidIdempotencyKey();
        }
        Accepted accepted = this.notifications.accept(client, request, idempotencyKey);
        Notification notification = accepted.notification();
        URI location = URI.create("/api/v1/notifications/" + notification.id());
        Integer wait = waitSeconds(prefer);
        if (wait != null) {
            Notification current = this.waiters.await(notification.id(), Duration.ofSeconds(wait));
            if (current.status().isFinal()) {
                return ResponseEntity.ok()
                    .location(location)
                    .header("Preference-Applied", "wait=" + wait)
                    .body(NotificationView.of(current));
            }
            notification = current;
        }
        ResponseEntity.BodyBuilder answer = ResponseEntity.status(HttpStatus.ACCEPTED).location(location);
        if (accepted.replayed()) {
            answer.header("Idempotent-Replayed", "true");
        }
        return answer.body(NotificationAccepted.of(notification));
    }

    @GetMapping(path = "/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    NotificationView get(@AuthenticationPrincipal GatewayClient client, @PathVariable String id) {
        return NotificationView.of(this.notifications.find(client, id));
    }

    private static Integer waitSeconds(String prefer) {
        if (prefer == null) {
            return null;
        }
        Matcher matcher = WAIT_PREFERENCE.matcher(prefer);
        if (!matcher.find()) {
            return null;
        }
        int seconds = Integer.parseInt(matcher.group(1));
        return (seconds < 1) ? null : Math.min(seconds, MAX_WAIT_SECONDS);
    }

}
