package io.maspush.gateway.notification;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

/**
 * Bounds how many notifications may wait in all, so that a runaway sender cannot fill the
 * disk. The count comes from the database at most once a second and is kept up to date in
 * between by the accepts of this process: one cheap query a second instead of one per
 * request.
 */
@Component
class QueueDepth {

    private static final Duration RECOUNT = Duration.ofSeconds(1);

    private final NotificationRepository repository;

    private final Clock clock;

    private final long maxQueued;

    private final AtomicLong count = new AtomicLong();

    private final AtomicReference<Instant> countedAt = new AtomicReference<>(Instant.EPOCH);

    QueueDepth(NotificationRepository repository, Clock clock,
            @Value("${gateway.delivery.max-queued:100000}") long maxQueued) {
        this.repository = repository;
        this.clock = clock;
        this.maxQueued = maxQueued;
    }

    /**
     * Whether more notifications may be queued.
     * @param count how many
     * @return {@code true} when the queue has room for all of them
     */
    boolean hasRoomFor(int count) {
        Instant now = this.clock.instant();
        Instant last = this.countedAt.get();
        if (!now.isBefore(last.plus(RECOUNT)) && this.countedAt.compareAndSet(last, now)) {
            this.count.set(this.repository.countAllQueued());
        }
        return this.count.get() + count <= this.maxQueued;
    }

    void accepted(int count) {
        this.count.addAndGet(count);
    }

    long maxQueued() {
        return this.maxQueued;
    }

}
