package io.maspush.gateway.notification;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Lets a request wait ({@code Prefer: wait=N}) for its notification's final status. The
 * local dispatcher's completion event wakes the waiter at once; a check of the database
 * once a second covers a notification that another replica delivered.
 */
@Component
class NotificationWaiters {

    private static final Duration RECHECK = Duration.ofSeconds(1);

    private final Map<UUID, CompletableFuture<Void>> waiting = new ConcurrentHashMap<>();

    private final NotificationRepository repository;

    NotificationWaiters(NotificationRepository repository) {
        this.repository = repository;
    }

    /**
     * Wait until the notification is final or the time is up.
     * @param id the notification
     * @param timeout how long to wait at most
     * @return the notification as it stands at the end of the wait
     */
    Notification await(UUID id, Duration timeout) {
        CompletableFuture<Void> done = this.waiting.computeIfAbsent(id, (key) -> new CompletableFuture<>());
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (true) {
                Notification current = this.repository.findById(id).orElseThrow();
                long remaining = deadline - System.nanoTime();
                if (current.status().isFinal() || remaining <= 0) {
                    return current;
                }
                try {
                    done.get(Math.min(remaining, RECHECK.toNanos()), TimeUnit.NANOSECONDS);
                }
                catch (TimeoutException ex) {
                    // Not final yet as far as this process knows; look at the database
                    // again.
                }
                catch (ExecutionException ex) {
                    throw new IllegalStateException(ex);
                }
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            return this.repository.findById(id).orElseThrow();
        }
        finally {
            this.waiting.remove(id);
        }
    }

    @EventListener
    void completed(NotificationCompleted completed) {
        CompletableFuture<Void> done = this.waiting.get(completed.id());
        if (done != null) {
            done.complete(null);
        }
    }

}
