package io.maspush.gateway.notification;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.maspush.gateway.delivery.DeliveryDispatcher;
import io.maspush.gateway.delivery.DeliveryDispatcher.Reservation;
import io.maspush.gateway.delivery.DeliveryMetrics;
import io.maspush.gateway.environment.PushEnvironment;
import io.maspush.gateway.environment.PushEnvironments;
import io.maspush.gateway.notification.NotificationRepository.IdempotentRequest;
import io.maspush.gateway.push.RelayedBody;
import io.maspush.gateway.secret.Secret;
import io.maspush.gateway.security.GatewayClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.stereotype.Service;

/**
 * Accepts notifications: validates what the bean constraints cannot, applies idempotency,
 * commits the notification, and only then hands it to the dispatcher.
 */
@Service
public class NotificationService {

    private static final Logger logger = LoggerFactory.getLogger(NotificationService.class);

    static final Duration DEFAULT_TTL = Duration.ofHours(24);

    private final NotificationRepository repository;

    private final PushEnvironments environments;

    private final DeliveryDispatcher dispatcher;

    private final DeliveryMetrics metrics;

    private final Clock clock;

    private final ObjectMapper canonicalJson;

    private final QueueDepth queueDepth;

    NotificationService(NotificationRepository repository, PushEnvironments environments, DeliveryDispatcher dispatcher,
            DeliveryMetrics metrics, Clock clock, ObjectMapper json, QueueDepth queueDepth) {
        this.queueDepth = queueDepth;
        this.repository = repository;
        this.environments = environments;
        this.dispatcher = dispatcher;
        this.metrics = metrics;
        this.clock = clock;
        this.canonicalJson = json.copy().configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);
    }

    /**
     * Store a notification and start delivering it.
     * @param client the sending client
     * @param request the validated request
     * @param idempotencyKey the caller's idempotency key, or {@code null}
     * @return what was stored, or what was stored earlier under the same key
     */
    public Accepted accept(GatewayClient client, NotificationRequest request, String idempotencyKey) {
        PushEnvironment environment = this.environments.find(client.environment())
            .filter((candidate) -> candidate.settings().isConfigured())
            .orElseThrow(() -> NotificationProblems.pushNotConfigured(client.environment()));
        NotificationRequest normalised = normalise(request);
        String requestHash = (idempotencyKey != null) ? fingerprint(normalised) : null;
        if (idempotencyKey != null) {
            Optional<IdempotentRequest> earlier = this.repository.findByIdempotencyKey(client.id(), idempotencyKey);
            if (earlier.isPresent()) {
                return replay(earlier.get(), requestHash);
            }
        }
        if (!this.queueDepth.hasRoom()) {
            throw NotificationProblems.queueFull(this.queueDepth.maxQueued());
        }
        Notification notification = newNotification(client, environment, normalised);
        Reservation reservation = this.dispatcher.reserve(environment.name());
        try {
            this.repository.insert(notification, idempotencyKey, requestHash,
                    (reservation != null) ? reservation.lease() : null);
        }
        catch (DuplicateKeyException ex) {
            cancel(reservation);
            return replay(this.repository.findByIdempotencyKey(client.id(), idempotencyKey).orElseThrow(), requestHash);
        }
        catch (RuntimeException ex) {
            cancel(reservation);
            throw ex;
        }
        logger.debug("Notification {} accepted for {} recipient(s)", notification.id(),
                notification.recipients().size());
        this.queueDepth.accepted();
        this.metrics.accepted(environment.name(), client.id(), notification.category(), notification.api());
        if (reservation != null) {
            reservation.dispatch(notification);
        }
        return new Accepted(notification, false);
    }

    /**
     * Store a relayed message and start delivering it like any notification.
     * @param client the relaying client
     * @param body the caller's body without the caller's key
     * @return what was stored
     */
    public Notification acceptRelayed(GatewayClient client, RelayedBody body) {
        PushEnvironment environment = this.environments.find(client.environment())
            .filter((candidate) -> candidate.settings().isConfigured())
            .orElseThrow(() -> NotificationProblems.pushNotConfigured(client.environment()));
        if (!this.queueDepth.hasRoom()) {
            throw NotificationProblems.queueFull(this.queueDepth.maxQueued());
        }
        Instant now = this.clock.instant().truncatedTo(ChronoUnit.MICROS);
        Notification notification = new Notification(UUID.randomUUID(), client.id(), environment.name(),
                NotificationStatus.QUEUED, List.of(), "", "", null, Priority.NORMAL, null, 0, null, now, now, null,
                now.plus(DEFAULT_TTL), now, null, body);
        Reservation reservation = this.dispatcher.reserve(environment.name());
        try {
            this.repository.insert(notification, null, null, (reservation != null) ? reservation.lease() : null);
        }
        catch (RuntimeException ex) {
            cancel(reservation);
            throw ex;
        }
        this.queueDepth.accepted();
        this.metrics.accepted(environment.name(), client.id(), null, notification.api());
        if (reservation != null) {
            reservation.dispatch(notification);
        }
        return notification;
    }

    /**
     * A client's own notification.
     * @param client the client asking
     * @param id the notification's id as given in the path
     * @return the notification
     */
    public Notification find(GatewayClient client, String id) {
        return parse(id).flatMap(this.repository::findById)
            .filter((notification) -> notification.clientId().equals(client.id()))
            .orElseThrow(() -> NotificationProblems.notFound(id));
    }

    private Accepted replay(IdempotentRequest earlier, String requestHash) {
        if (!earlier.requestHash().equals(requestHash)) {
            throw NotificationProblems.idempotencyConflict(earlier.notification().id());
        }
        return new Accepted(earlier.notification(), true);
    }

    private Notification newNotification(GatewayClient client, PushEnvironment environment,
            NotificationRequest request) {
        // Both databases keep microseconds; the answer must show what GET will show.
        Instant now = this.clock.instant().truncatedTo(ChronoUnit.MICROS);
        return new Notification(UUID.randomUUID(), client.id(), environment.name(), NotificationStatus.QUEUED,
                request.recipients(), request.title(), request.body(), request.category(), request.priority(),
                request.data(), 0, null, now, now, null, now.plus(request.ttl()), now, null, null);
    }

    private static NotificationRequest normalise(NotificationRequest request) {
        List<String> recipients = List.copyOf(new LinkedHashSet<>(request.recipients()));
        Priority priority = (request.priority() != null) ? request.priority() : Priority.NORMAL;
        Duration ttl = (request.ttl() != null) ? request.ttl() : DEFAULT_TTL;
        return new NotificationRequest(recipients, request.title(), request.body(), request.category(), priority,
                (request.data() != null && !request.data().isEmpty()) ? request.data() : null, ttl,
                request.callbackUrl());
    }

    private String fingerprint(NotificationRequest request) {
        try {
            return Secret.sha256Hex(this.canonicalJson.writeValueAsString(request));
        }
        catch (JsonProcessingException ex) {
            throw new IllegalStateException("A validated request always serialises", ex);
        }
    }

    private static void cancel(Reservation reservation) {
        if (reservation != null) {
            reservation.cancel();
        }
    }

    private static Optional<UUID> parse(String id) {
        if (id == null || id.length() != 36) {
            return Optional.empty();
        }
        try {
            return Optional.of(UUID.fromString(id));
        }
        catch (IllegalArgumentException ex) {
            return Optional.empty();
        }
    }

    /**
     * An accepted notification.
     *
     * @param notification the stored notification
     * @param replayed whether it was stored by an earlier request with the same
     * idempotency key
     */
    public record Accepted(Notification notification, boolean replayed) {
    }

}
