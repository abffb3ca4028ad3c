package io.maspush.gateway.delivery;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.maspush.gateway.environment.PushEnvironment;
import io.maspush.gateway.environment.PushEnvironments;
import io.maspush.gateway.notification.Notification;
import io.maspush.gateway.notification.NotificationCompleted;
import io.maspush.gateway.notification.NotificationRepository;
import io.maspush.gateway.notification.NotificationRepository.Lease;
import io.maspush.gateway.notification.NotificationStatus;
import io.maspush.gateway.web.RequestIdFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.stereotype.Component;

/**
 * Hands notifications to workers. A newly accepted notification goes to a worker at once
 * when its environment has room (see {@link #reserve(String)}); a sweep every
 * {@code sweep-interval} expires what outlived its time to live, claims due retries and
 * whatever a stopped process left behind. A backlog is drained as workers free up, in
 * claims of a quarter of the environment's workers at a time: claiming for each worker
 * the moment it frees up cost more database time than the deliveries themselves. Each
 * environment's concurrent calls are bounded by its own bulkhead, so one slow environment
 * never takes another's share.
 */
@Component
public class DeliveryDispatcher implements SmartLifecycle {

    private static final Logger logger = LoggerFactory.getLogger(DeliveryDispatcher.class);

    private final NotificationRepository repository;

    private final PushEnvironments environments;

    private final EnvironmentGates gates;

    private final ResilienceRegistries resilience;

    private final DeliveryWorker worker;

    private final ApplicationEventPublisher events;

    private final DeliveryProperties properties;

    private final Clock clock;

    private final SimpleAsyncTaskExecutor workers;

    private final String owner;

    private final Map<String, AtomicBoolean> backlog = new ConcurrentHashMap<>();

    private final AtomicBoolean drainPending = new AtomicBoolean();

    private volatile ScheduledExecutorService scheduler;

    private volatile boolean running;

    private volatile Instant lastSweep;

    DeliveryDispatcher(NotificationRepository repository, PushEnvironments environments, EnvironmentGates gates,
            ResilienceRegistries resilience, DeliveryWorker worker, ApplicationEventPublisher events,
            DeliveryProperties properties, Clock clock, SimpleAsyncTaskExecutor deliveryExecutor) {
        this.repository = repository;
        this.environments = environments;
        this.gates = gates;
        this.resilience = resilience;
        this.worker = worker;
        this.events = events;
        this.properties = properties;
        this.clock = clock;
        this.workers = deliveryExecutor;
        this.owner = (properties.instanceId() != null) ? properties.instanceId() : defaultInstanceId();
    }

    /**
     * Reserve a worker for a notification about to be stored, so that it can be stored
     * already claimed and sent the moment it is committed. Gives nothing when the
     * environment is paused, held, behind an open circuit or busy: the notification is
     * then stored unclaimed and the sweep takes it when it can.
     * @param environment the notification's environment
     * @return the reservation, or {@code null}
     */
    public Reservation reserve(String environment) {
        Instant now = this.clock.instant();
        if (!this.running || !this.gates.get(environment).isOpenAt(now)
                || this.resilience.circuitBreaker(environment).getState() != CircuitBreaker.State.CLOSED) {
            return null;
        }
        Bulkhead bulkhead = this.resilience.bulkhead(environment);
        if (!bulkhead.tryAcquirePermission()) {
            backlog(environment).set(true);
            return null;
        }
        return new Reservation(environment, newLease(now));
    }

    /**
     * When the last sweep ran; the watchdog uses it to tell a dead dispatcher from an
     * idle one.
     * @return the time, or {@code null} before the first sweep
     */
    Instant lastSweep() {
        return this.lastSweep;
    }

    /**
     * This process's name in claims, unique among the processes sharing a database.
     * @return the owner id
     */
    public String owner() {
        return this.owner;
    }

    private void submit(Notification notification, boolean probe) {
        Bulkhead bulkhead = this.resilience.bulkhead(notification.environment());
        // A notification handed over by the request that accepted it is logged under that
        // request's id too.
        String requestId = MDC.get(RequestIdFilter.MDC_KEY);
        try {
            this.workers.execute(() -> {
                if (requestId != null) {
                    MDC.put(RequestIdFilter.MDC_KEY, requestId);
                }
                try {
                    this.worker.deliver(notification, probe);
                }
                finally {
                    MDC.remove(RequestIdFilter.MDC_KEY);
                    bulkhead.onComplete();
                    if (backlog(notification.environment()).get() && enoughFree(bulkhead)) {
                        requestDrain();
                    }
                }
            });
        }
        catch (RuntimeException ex) {
            bulkhead.onComplete();
            Instant now = this.clock.instant();
            this.repository.reschedule(notification.id(), now, null, false, now);
            logger.debug("Dispatcher is stopping; notification {} stays queued", notification.id());
        }
    }

    /**
     * Claim work for free workers as soon as possible rather than at the next sweep, for
     * notifications just stored without a reserved worker.
     */
    public void sweepSoon() {
        requestDrain();
    }

    private AtomicBoolean backlog(String environment) {
        return this.backlog.computeIfAbsent(environment, (name) -> new AtomicBoolean());
    }

    private static boolean enoughFree(Bulkhead bulkhead) {
        int refill = Math.max(1, bulkhead.getBulkheadConfig().getMaxConcurrentCalls() / 4);
        return bulkhead.getMetrics().getAvailableConcurrentCalls() >= refill;
    }

    private void requestDrain() {
        ScheduledExecutorService current = this.scheduler;
        if (current != null && this.running && this.drainPending.compareAndSet(false, true)) {
            try {
                current.execute(this::drain);
            }
            catch (RuntimeException ex) {
                this.drainPending.set(false);
            }
        }
    }

    void sweep() {
        if (!this.running) {
            return;
        }
        try {
            Instant now = this.clock.instant();
            expireOverdue(now);
            claimForAll(now);
            this.lastSweep = now;
        }
        catch (RuntimeException ex) {
            logger.warn("Delivery sweep failed; it runs again in {} ms", this.properties.sweepInterval().toMillis(),
                    ex);
        }
    }

    /**
     * Claim what free workers can take, without the expiry of a full sweep: this runs
     * whenever a quarter of an environment's workers are free while it has a backlog.
     */
    private void drain() {
        this.drainPending.set(false);
        if (!this.running) {
            return;
        }
        try {
            claimForAll(this.clock.instant());
        }
        catch (RuntimeException ex) {
            logger.warn("Claiming queued notifications failed; the sweep tries again in {} ms",
                    this.properties.sweepInterval().toMillis(), ex);
        }
    }

    private void claimForAll(Instant now) {
        for (PushEnvironment environment : this.environments.all()) {
            sweep(environment.name(), now);
        }
    }

    private void expireOverdue(Instant now) {
        List<Notification> expired = this.repository.expireOverdue(now, this.properties.batchSize());
        for (Notification notification : expired) {
            logger.info("Notification {} of client {} EXPIRED in environment {} while queued", notification.id(),
                    notification.clientId(), notification.environment());
            this.events.publishEvent(NotificationCompleted.of(notification, NotificationStatus.EXPIRED, "expired"));
        }
    }

    private void sweep(String environment, Instant now) {
        EnvironmentGate gate = this.gates.get(environment);
        if (gate.isHeldAt(now)) {
            return;
        }
        if (gate.holdEnded(now)) {
            logger.info("Deliveries for environment {} resume: the wait the push service asked for is over",
                    environment);
        }
        boolean probe = gate.isPaused();
        if (probe && !gate.claimProbe(now, this.properties.pauseProbeInterval())) {
            return;
        }
        CircuitBreaker breaker = this.resilience.circuitBreaker(environment);
        int limit = switch (breaker.getState()) {
            case CLOSED, DISABLED, METRICS_ONLY -> this.properties.batchSize();
            case HALF_OPEN -> breaker.getCircuitBreakerConfig().getPermittedNumberOfCallsInHalfOpenState();
            default -> 0;
        };
        Bulkhead bulkhead = this.resilience.bulkhead(environment);
        limit = Math.min(probe ? 1 : limit, bulkhead.getMetrics().getAvailableConcurrentCalls());
        if (limit <= 0) {
            return;
        }
        List<Notification> claimed = this.repository.claimDue(environment, now, limit, newLease(now));
        backlog(environment).set(claimed.size() == limit);
        for (Notification notification : claimed) {
            if (bulkhead.tryAcquirePermission()) {
                submit(notification, probe);
            }
            else {
                this.repository.reschedule(notification.id(), now, null, false, now);
            }
        }
    }

    private Lease newLease(Instant now) {
        return new Lease(this.owner, now.plus(this.properties.claimLease()));
    }

    @Override
    public void start() {
        this.scheduler = Executors.newSingleThreadScheduledExecutor((task) -> {
            Thread thread = new Thread(task, "delivery-sweep");
            thread.setDaemon(true);
            return thread;
        });
        this.running = true;
        long interval = this.properties.sweepInterval().toMillis();
        this.scheduler.scheduleWithFixedDelay(this::sweep, 0, interval, TimeUnit.MILLISECONDS);
        logger.info("Delivery dispatcher {} started", this.owner);
    }

    /**
     * Stop claiming, let calls in flight finish within the grace period, and hand back
     * every claim so that the next start, or another replica, takes the rest at once.
     */
    @Override
    public void stop() {
        this.running = false;
        ScheduledExecutorService current = this.scheduler;
        if (current != null) {
            current.shutdownNow();
            awaitSweepEnd(current);
        }
        this.workers.close();
        int released = this.repository.releaseLeases(this.owner);
        logger.info("Delivery dispatcher {} stopped; {} claimed notification(s) left queued", this.owner, released);
    }

    /**
     * A sweep already under way could claim rows after the claims are handed back,
     * leaving them blocked for a whole lease, so stopping waits for it.
     */
    private void awaitSweepEnd(ScheduledExecutorService sweeper) {
        try {
            if (!sweeper.awaitTermination(this.properties.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS)) {
                logger.warn("Delivery sweep did not finish within the shutdown grace period");
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean isRunning() {
        return this.running;
    }

    /**
     * Stop after the web server has stopped taking requests, so that nothing is accepted
     * for a dispatcher that is already gone.
     */
    @Override
    public int getPhase() {
        return SmartLifecycle.DEFAULT_PHASE - 4096;
    }

    private static String defaultInstanceId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        }
        catch (UnknownHostException ex) {
            host = "gateway";
        }
        return host + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /**
     * A worker set aside for one notification that is about to be stored.
     */
    public final class Reservation {

        private final String environment;

        private final Lease lease;

        private final AtomicBoolean used = new AtomicBoolean();

        private Reservation(String environment, Lease lease) {
            this.environment = environment;
            this.lease = lease;
        }

        public Lease lease() {
            return this.lease;
        }

        /**
         * Send the notification, which must now be committed with this reservation's
         * lease.
         * @param notification the stored notification
         */
        public void dispatch(Notification notification) {
            if (this.used.compareAndSet(false, true)) {
                submit(notification, false);
            }
        }

        /**
         * Give the worker back because the notification was not stored.
         */
        public void cancel() {
            if (this.used.compareAndSet(false, true)) {
                resilience.bulkhead(this.environment).onComplete();
            }
        }

    }

}
