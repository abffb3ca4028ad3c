package io.maspush.gateway.notification;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.maspush.gateway.callback.CallbackTargets;
import io.maspush.gateway.delivery.DeliveryDispatcher;
import io.maspush.gateway.delivery.DeliveryDispatcher.Reservation;
import io.maspush.gateway.delivery.DeliveryMetrics;
import io.maspush.gateway.environment.PushEnvironment;
import io.maspush.gateway.environment.PushEnvironments;
import io.maspush.gateway.notification.NotificationRepository.IdempotentRequest;
import io.maspush.gateway.notification.NotificationRepository.Lease;
import io.maspush.gateway.notification.NotificationRepository.NewNotification;
import io.maspush.gateway.push.RelayedBody;
import io.maspush.gateway.secret.Secret;
import io.maspush.gateway.security.GatewayClient;
import io.maspush.gateway.web.InvalidField;
import io.maspush.gateway.web.Problems;
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

    private final CallbackTargets callbacks;

    NotificationService(NotificationRepository repository, PushEnvironments environments, DeliveryDispatcher dispatcher,
            DeliveryMetrics metrics, Clock clock, ObjectMapper json, QueueDepth queueDepth, CallbackTargets callbacks) {
        this.callbacks = callbacks;
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
        PushEnvironment environment = configuredEnvironment(client);
        NotificationRequest normalised = normalise(request);
        String refusal = callbackRefusal(client, normalised);
        if (refusal != null) {
            throw NotificationProblems.invalidField("callbackUrl", refusal);
        }
        String requestHash = (idempotencyKey != null) ? fingerprint(normalised) : null;
        if (idempotencyKey != null) {
            Optional<IdempotentRequest> earlier = this.repository.findByIdempotencyKey(client.id(), idempotencyKey);
            if (earlier.isPresent()) {
                return replay(earlier.get(), requestHash);
            }
        }
        Notification notification = newNotification(client, environment, normalised);
        try {
            store(environment, List.of(new NewNotification(notification, idempotencyKey, requestHash, null)));
        }
        catch (DuplicateKeyException ex) {
            return replay(this.repository.findByIdempotencyKey(client.id(), idempotencyKey).orElseThrow(), requestHash);
        }
        logger.debug("Notification {} accepted for {} recipient(s)", notification.id(),
                notification.recipients().size());
        return new Accepted(notification, false);
    }

    /**
     * Store the valid notifications of a batch in one transaction and start delivering
     * them; the invalid ones are answered with their errors and stored not at all.
     * @param client the sending client
     * @param entries the batch's entries, in order, each read and checked on its own
     * @param idempotencyKey the caller's key for the whole batch, or {@code null}; entry
     * {@code i} is stored under {@code <key>#<i>}
     * @return what became of each entry, in order
     */
    public BatchResult acceptBatch(GatewayClient client, List<BatchEntry> entries, String idempotencyKey) {
        PushEnvironment environment = configuredEnvironment(client);
        List<PreparedEntry> prepared = entries.stream()
            .map((entry) -> prepare(client, environment, entry, idempotencyKey))
            .toList();
        List<String> keys = prepared.stream().map(PreparedEntry::idempotencyKey).filter(Objects::nonNull).toList();
        if (!keys.isEmpty()) {
            Map<String, IdempotentRequest> earlier = this.repository.findByIdempotencyKeys(client.id(), keys);
            if (!earlier.isEmpty()) {
                return replay(prepared, earlier);
            }
        }
        List<NewNotification> rows = prepared.stream()
            .filter((entry) -> entry.notification() != null)
            .map((entry) -> new NewNotification(entry.notification(), entry.idempotencyKey(), entry.requestHash(),
                    null))
            .toList();
        if (!rows.isEmpty()) {
            try {
                store(environment, rows);
            }
            catch (DuplicateKeyException ex) {
                return replay(prepared, this.repository.findByIdempotencyKeys(client.id(), keys));
            }
        }
        logger.debug("Batch of {} notification(s): {} accepted", entries.size(), rows.size());
        return new BatchResult(prepared.stream().map(PreparedEntry::result).toList(), false);
    }

    /**
     * Store a relayed message and start delivering it like any notification.
     * @param client the relaying client
     * @param body the caller's body without the caller's key
     * @return what was stored
     */
    public Notification acceptRelayed(GatewayClient client, RelayedBody body) {
        PushEnvironment environment = configuredEnvironment(client);
        Instant now = this.clock.instant().truncatedTo(ChronoUnit.MICROS);
        Notification notification = new Notification(UUID.randomUUID(), client.id(), environment.name(),
                NotificationStatus.QUEUED, List.of(), "", "", null, Priority.NORMAL, null, 0, null, now, now, null,
                now.plus(DEFAULT_TTL), now, this.callbacks.urlFor(client.id(), null), body);
        store(environment, List.of(new NewNotification(notification, null, null, null)));
        return notification;
    }

    /**
     * Commit new notifications, each already claimed by a worker where the environment
     * has one free, and hand those to their workers once committed; the rest wait for the
     * sweep.
     */
    private void store(PushEnvironment environment, List<NewNotification> rows) {
        if (!this.queueDepth.hasRoomFor(rows.size())) {
            throw NotificationProblems.queueFull(this.queueDepth.maxQueued());
        }
        List<Reservation> reservations = reserve(environment.name(), rows.size());
        List<NewNotification> claimed = new ArrayList<>(rows.size());
        for (int i = 0; i < rows.size(); i++) {
            NewNotification row = rows.get(i);
            Lease lease = (i < reservations.size()) ? reservations.get(i).lease() : null;
            claimed.add(new NewNotification(row.notification(), row.idempotencyKey(), row.requestHash(), lease));
        }
        try {
            if (claimed.size() == 1) {
                NewNotification row = claimed.get(0);
                this.repository.insert(row.notification(), row.idempotencyKey(), row.requestHash(), row.lease());
            }
            else {
                this.repository.insertAll(claimed);
            }
        }
        catch (RuntimeException ex) {
            reservations.forEach(Reservation::cancel);
            throw ex;
        }
        this.queueDepth.accepted(rows.size());
        for (NewNotification row : claimed) {
            Notification notification = row.notification();
            this.metrics.accepted(environment.name(), notification.clientId(), notification.category(),
                    notification.api());
        }
        for (int i = 0; i < reservations.size(); i++) {
            reservations.get(i).dispatch(claimed.get(i).notification());
        }
        if (reservations.size() < rows.size() && rows.size() > 1) {
            this.dispatcher.sweepSoon();
        }
    }

    private List<Reservation> reserve(String environment, int count) {
        List<Reservation> reservations = new ArrayList<>(Math.min(count, 64));
        while (reservations.size() < count) {
            Reservation reservation = this.dispatcher.reserve(environment);
            if (reservation == null) {
                break;
            }
            reservations.add(reservation);
        }
        return reservations;
    }

    private PreparedEntry prepare(GatewayClient client, PushEnvironment environment, BatchEntry entry,
            String batchKey) {
        String key = (batchKey != null) ? batchKey + "#" + entry.index() : null;
        if (!entry.errors().isEmpty()) {
            return PreparedEntry.rejected(entry.index(), key, entry.errors());
        }
        NotificationRequest normalised = normalise(entry.request());
        String refusal = callbackRefusal(client, normalised);
        if (refusal != null) {
            return PreparedEntry.rejected(entry.index(), key, List.of(new InvalidField("callbackUrl", refusal)));
        }
        return new PreparedEntry(entry.index(), newNotification(client, environment, normalised), key,
                (key != null) ? fingerprint(normalised) : null, List.of());
    }

    /**
     * The answer to a batch sent again under the same key: the notifications stored the
     * first time, provided every entry is what it was then.
     */
    private static BatchResult replay(List<PreparedEntry> prepared, Map<String, IdempotentRequest> earlier) {
        List<BatchItem> items = new ArrayList<>(prepared.size());
        for (PreparedEntry entry : prepared) {
            IdempotentRequest stored = earlier.get(entry.idempotencyKey());
            if (entry.notification() == null) {
                if (stored != null) {
                    throw NotificationProblems.idempotentBatchConflict();
                }
                items.add(entry.result());
            }
            else {
                if (stored == null || !stored.requestHash().equals(entry.requestHash())) {
                    throw NotificationProblems.idempotentBatchConflict();
                }
                items.add(new BatchItem(entry.index(), stored.notification(), List.of()));
            }
        }
        return new BatchResult(items, true);
    }

    private PushEnvironment configuredEnvironment(GatewayClient client) {
        return this.environments.find(client.environment())
            .filter((candidate) -> candidate.settings().isConfigured())
            .orElseThrow(() -> NotificationProblems.pushNotConfigured(client.environment()));
    }

    private String callbackRefusal(GatewayClient client, NotificationRequest request) {
        return (request.callbackUrl() != null) ? this.callbacks.refusalOf(client.id(), request.callbackUrl()) : null;
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
                request.data(), 0, null, now, now, null, now.plus(request.ttl()), now,
                this.callbacks.urlFor(client.id(), request.callbackUrl()), null);
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

    /**
     * What became of a batch.
     *
     * @param items each entry's result, in the order of the request
     * @param replayed whether the batch was stored by an earlier request with the same
     * idempotency key
     */
    public record BatchResult(List<BatchItem> items, boolean replayed) {

        public long acceptedCount() {
            return this.items.stream().filter((item) -> item.notification() != null).count();
        }

    }

    /**
     * What became of one entry of a batch.
     *
     * @param index the entry's position in the request
     * @param notification the stored notification, or {@code null} when the entry was
     * refused
     * @param errors why the entry was refused; empty when it was stored
     */
    public record BatchItem(int index, Notification notification, List<InvalidField> errors) {
    }

    /**
     * An entry of a batch, checked and ready to store, or refused.
     */
    private record PreparedEntry(int index, Notification notification, String idempotencyKey, String requestHash,
            List<InvalidField> errors) {

        static PreparedEntry rejected(int index, String idempotencyKey, List<InvalidField> errors) {
            return new PreparedEntry(index, null, idempotencyKey, null, Problems.sorted(errors));
        }

        BatchItem result() {
            return new BatchItem(this.index, this.notification, this.errors);
        }

    }

}
