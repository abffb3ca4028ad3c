package io.maspush.gateway.pushconfig;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

import io.maspush.gateway.environment.PushEnvironment;
import io.maspush.gateway.environment.PushEnvironmentChanged;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Keeps a recent connectivity report per environment for the {@code push} health
 * contributor. A health request never waits for the network: it gets the last report, and
 * a stale one is refreshed in the background.
 */
@Component
class ConnectivityMonitor implements DisposableBean {

    private final ConnectivityCheck check;

    private final Clock clock;

    private final Duration interval;

    private final Map<String, Checked> reports = new ConcurrentHashMap<>();

    private final Map<String, AtomicBoolean> running = new ConcurrentHashMap<>();

    private final ExecutorService executor = Executors.newSingleThreadExecutor((task) -> {
        Thread thread = new Thread(task, "push-connectivity");
        thread.setDaemon(true);
        return thread;
    });

    ConnectivityMonitor(ConnectivityCheck check, Clock clock,
            @Value("${gateway.push-config.connectivity-interval:5m}") Duration interval) {
        this.check = check;
        this.clock = clock;
        this.interval = interval;
    }

    /**
     * The last report for an environment, starting a fresh check in the background when
     * it is older than the interval.
     * @param environment the environment
     * @return the last report, if any check has finished yet
     */
    Optional<Checked> latest(PushEnvironment environment) {
        Checked last = this.reports.get(environment.name());
        boolean stale = last == null || last.at().isBefore(this.clock.instant().minus(this.interval));
        if (stale && !this.interval.isZero() && environment.settings().isConfigured()) {
            refresh(environment);
        }
        return Optional.ofNullable(last);
    }

    @EventListener
    void settingsChanged(PushEnvironmentChanged changed) {
        this.reports.remove(changed.environment());
    }

    private void refresh(PushEnvironment environment) {
        AtomicBoolean flag = this.running.computeIfAbsent(environment.name(), (name) -> new AtomicBoolean());
        if (!flag.compareAndSet(false, true)) {
            return;
        }
        try {
            this.executor.execute(() -> {
                try {
                    this.reports.put(environment.name(),
                            new Checked(this.check.check(environment.settings()), this.clock.instant()));
                }
                finally {
                    flag.set(false);
                }
            });
        }
        catch (RejectedExecutionException ex) {
            flag.set(false);
        }
    }

    @Override
    public void destroy() {
        this.executor.shutdownNow();
    }

    /**
     * A report and when it was made.
     *
     * @param report the report
     * @param at when the check finished
     */
    record Checked(ConnectivityReport report, Instant at) {
    }

}
