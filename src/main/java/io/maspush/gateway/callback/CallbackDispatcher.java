package io.maspush.gateway.callback;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.maspush.gateway.delivery.Backoff;
import io.maspush.gateway.delivery.DeliveryDispatcher;
import io.maspush.gateway.delivery.DeliveryProperties;
import io.maspush.gateway.notification.NotificationCompleted;
import io.maspush.gateway.notification.NotificationRepository.Lease;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import org.springframework.boot.autoconfigure.thread.Threading;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.stereotype.Component;

/**
 * Sends status callbacks apart from deliveries: on threads of its own, bounded by
 * {@code max-concurrent-calls}, so that a slow or dead receiver never delays a
 * notification. A callback that has just become due is sent at once; a sweep every
 * {@code sweep-interval} takes due retries and whatever a stopped process left behind.
 */
@Component
class CallbackDispatcher implements SmartLifecycle {

    private static final Logger logger = LoggerFactory.getLogger(CallbackDispatcher.class);

    private final CallbackRepository repository;

    private final CallbackSender sender;

    private final CallbackTargets targets;

    private final CallbackMetrics metrics;

    private final CallbackProperties properties;

    private final Clock clock;

    private final Backoff backoff;

    private final Semaphore permits;

    private final Map<String, Semaphore> clientPermits = new ConcurrentHashMap<>();

    private final SimpleAsyncTaskExecutor workers;

    private final Duration shutdownGrace;

    private final String owner;

    private final AtomicBoolean backlog = new AtomicBoolean();

    private final AtomicBoolean sweepPending = new AtomicBoolean();

    private volatile ScheduledExecutorService scheduler;

    private volatile boolean running;

    CallbackDispatcher(CallbackRepository repository, CallbackSender sender, CallbackTargets targets,
            CallbackMetrics metrics, CallbackProperties properties, DeliveryProperties delivery,
            DeliveryDispatcher deliveries, Clock clock, Environment environment) {
        this.repository = repository;
        this.sender = sender;
        this.targets = targets;
        this.metrics = metrics;
        this.properties = properties;
        this.clock = clock;
        this.backoff = new Backoff(properties.initialBackoff(), properties.backoffMultiplier(),
                properties.maxBackoff());
        this.permits = new Semaphore(properties.maxConcurrentCalls());
        this.workers = new SimpleAsyncTaskExecutor("callback-");
        this.workers.setVirtualThreads(Threading.VIRTUAL.isActive(environment));
        this.workers.setTaskTerminationTimeout(delivery.shutdownGrace().toMillis());
        this.shutdownGrace = delivery.shutdownGrace();
        this.owner = deliveries.owner();
    }

    /**
     * Send the callback of a notification that has just become final, if a worker is
     * free; otherwise the sweep takes it.
     * @param completed the final status, committed together with the callback it owes
     */
    @EventListener
    void completed(NotificationCompleted completed) {
        if (!completed.callbackOwed() || !this.running || !tryAcquire(completed.clientId())) {
            return;
        }
        start(completed.clientId(), () -> {
            Instant now = this.clock.instant();
            this.repository.claim(completed.id(), now, newLease(now)).ifPresent(this::send);
        });
    }

    void sweep() {
        this.sweepPending.set(false);
        if (!this.running) {
            return;
        }
        try {
            int limit = Math.min(this.properties.batchSize(), this.permits.availablePermits());
            if (limit <= 0) {
                return;
            }
            Instant now = this.clock.instant();
            List<PendingCallback> claimed = this.repository.claimDue(now, limit, newLease(now));
            this.backlog.set(claimed.size() == limit);
            for (PendingCallback callback : claimed) {
                if (tryAcquire(callback.clientId())) {
                    start(callback.clientId(), () -> send(callback));
                }
                else {
                    this.repository.postpone(callback.payload().id(), now.plus(this.properties.responseTimeout()));
                }
            }
        }
        catch (RuntimeException ex) {
            logger.warn("Callback sweep failed; it runs again in {} ms", this.properties.sweepInterval().toMillis(),
                    ex);
        }
    }

    /**
     * Take a slot of the whole pool and one of the client's, or neither.
     */
    private boolean tryAcquire(String clientId) {
        if (!this.permits.tryAcquire()) {
            return false;
        }
        if (!permitsOf(clientId).tryAcquire()) {
            this.permits.release();
            return false;
        }
        return true;
    }

    private void release(String clientId) {
        permitsOf(clientId).release();
        this.permits.release();
    }

    private Semaphore permitsOf(String clientId) {
        return this.clientPermits.computeIfAbsent(clientId,
                (id) -> new Semaphore(this.properties.maxConcurrentCallsPerClient()));
    }

    /**
     * Run work that holds a client's slot, giving the slot back when it ends.
     */
    private void start(String clientId, Runnable work) {
        try {
            this.workers.execute(() -> {
                try {
                    work.run();
                }
                catch (RuntimeException ex) {
                    logger.warn("A status callback could not be recorded; its claim lapses and it is sent again", ex);
                }
                finally {
                    release(clientId);
                    if (this.backlog.get()) {
                        requestSweep();
                    }
                }
            });
        }
        catch (RuntimeException ex) {
            release(clientId);
            logger.debug("Callback dispatcher is stopping; the callback is sent by the next start");
        }
    }

    private void send(PendingCallback callback) {
        String id = callback.payload().id().toString();
        MDC.put("notificationId", id);
        MDC.put("clientId", callback.clientId());
        try {
            byte[] key = this.targets.signingKey(callback.clientId());
            Instant now = this.clock.instant();
            if (key == null) {
                giveUp(callback, "client '" + callback.clientId() + "' no longer has a callback-secret configured, so"
                        + " the callback cannot be signed", now);
                return;
            }
            CallbackOutcome outcome = this.sender.send(callback, key);
            this.metrics.attempt(callback.clientId(), outcome);
            now = this.clock.instant();
            if (outcome.succeeded()) {
                this.repository.markDelivered(callback.payload().id(), now);
                this.metrics.completed(callback.clientId(), "delivered");
                logger.debug("Status callback of notification {} delivered", id);
                return;
            }
            int attempts = callback.attempts() + 1;
            if (attempts >= this.properties.maxAttempts()) {
                giveUp(callback, "gave up after " + attempts + " attempts; last: " + outcome.detail(), now);
                return;
            }
            logger.debug("Status callback of notification {} not delivered ({}); attempt {} of {}", id,
                    outcome.detail(), attempts, this.properties.maxAttempts());
            this.repository.reschedule(callback.payload().id(), now.plus(this.backoff.delayAfter(attempts)),
                    outcome.detail(), now);
        }
        finally {
            MDC.remove("notificationId");
            MDC.remove("clientId");
        }
    }

    private void giveUp(PendingCallback callback, String reason, Instant now) {
        this.repository.markFailed(callback.payload().id(), reason, now);
        this.metrics.completed(callback.clientId(), "failed");
        logger.warn("Status callback of notification {} for client {} abandoned: {}", callback.payload().id(),
                callback.clientId(), reason);
    }

    private void requestSweep() {
        ScheduledExecutorService current = this.scheduler;
        if (current != null && this.running && this.sweepPending.compareAndSet(false, true)) {
            try {
                current.execute(this::sweep);
            }
            catch (RuntimeException ex) {
                this.sweepPending.set(false);
            }
        }
    }

    private Lease newLease(Instant now) {
        return new Lease(this.owner, now.plus(this.properties.claimLease()));
    }

    @Override
    public void start() {
        this.scheduler = Executors.newSingleThreadScheduledExecutor((task) -> {
            Thread thread = new Thread(task, "callback-sweep");
            thread.setDaemon(true);
            return thread;
        });
        this.running = true;
        long interval = this.properties.sweepInterval().toMillis();
        this.scheduler.scheduleWithFixedDelay(this::sweep, interval, interval, TimeUnit.MILLISECONDS);
    }

    /**
     * Stop claiming, let callbacks under way finish within the shutdown grace, and hand
     * back every claim so that the next start, or another replica, sends the rest.
     */
    @Override
    public void stop() {
        this.running = false;
        ScheduledExecutorService current = this.scheduler;
        if (current != null) {
            current.shutdownNow();
            try {
                current.awaitTermination(this.shutdownGrace.toMillis(), TimeUnit.MILLISECONDS);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
        this.workers.close();
        int released = this.repository.releaseLeases(this.owner);
        if (released > 0) {
            logger.info("{} claimed status callback(s) left pending for the next start", released);
        }
    }

    @Override
    public boolean isRunning() {
        return this.running;
    }

    /**
     * Stop together with the delivery dispatcher, after the web server has stopped taking
     * requests.
     */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 4096;
    }

}
