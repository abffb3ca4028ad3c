package io.maspush.gateway.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Whether one environment may call the push service now. It closes in two ways, both for
 * the whole environment rather than one message: a <em>pause</em> after the push service
 * rejected the key (lifted by a configuration change or a successful probe) and a
 * <em>hold</em> until the time a 429 or 503 asked us to wait.
 */
public final class EnvironmentGate {

    private final String environment;

    private final AtomicReference<Pause> pause = new AtomicReference<>();

    private final AtomicReference<Instant> heldUntil = new AtomicReference<>(Instant.EPOCH);

    private final AtomicReference<Instant> lastProbe = new AtomicReference<>(Instant.EPOCH);

    private final AtomicBoolean holdAnnounced = new AtomicBoolean();

    private final AtomicReference<Instant> lastAttemptStarted = new AtomicReference<>();

    EnvironmentGate(String environment, Instant createdAt) {
        this.environment = environment;
        this.lastAttemptStarted.set(createdAt);
    }

    public String environment() {
        return this.environment;
    }

    /**
     * Pause deliveries.
     * @param reason why, in an administrator's terms
     * @param now the current time
     * @return whether this call paused it (false if it already was)
     */
    boolean pause(String reason, Instant now) {
        this.lastProbe.set(now);
        return this.pause.compareAndSet(null, new Pause(reason, now));
    }

    /**
     * Lift a pause.
     * @return whether it was paused
     */
    boolean resume() {
        return this.pause.getAndSet(null) != null;
    }

    public Pause pause() {
        return this.pause.get();
    }

    public boolean isPaused() {
        return this.pause.get() != null;
    }

    /**
     * Whether it is time to try one notification on a paused environment; true for one
     * caller per interval.
     * @param now the current time
     * @param interval the probe interval
     * @return whether the caller should probe
     */
    boolean claimProbe(Instant now, Duration interval) {
        Instant last = this.lastProbe.get();
        return !now.isBefore(last.plus(interval)) && this.lastProbe.compareAndSet(last, now);
    }

    /**
     * Hold deliveries until a time, or later if a longer hold is already in place.
     * @param until the end of the hold
     * @return whether the hold was extended
     */
    boolean holdUntil(Instant until) {
        Instant previous = this.heldUntil.getAndAccumulate(until, (a, b) -> a.isAfter(b) ? a : b);
        this.holdAnnounced.set(true);
        return until.isAfter(previous);
    }

    /**
     * Whether a hold has ended since the last call; true once per hold, so that its end
     * is logged once.
     * @param now the current time
     * @return whether a hold ended
     */
    boolean holdEnded(Instant now) {
        return !isHeldAt(now) && this.holdAnnounced.compareAndSet(true, false);
    }

    public Instant heldUntil() {
        return this.heldUntil.get();
    }

    public boolean isHeldAt(Instant now) {
        return now.isBefore(this.heldUntil.get());
    }

    boolean isOpenAt(Instant now) {
        return !isPaused() && !isHeldAt(now);
    }

    void attemptStarted(Instant now) {
        this.lastAttemptStarted.set(now);
    }

    public Instant lastAttemptStarted() {
        return this.lastAttemptStarted.get();
    }

    /**
     * Why and since when deliveries are paused.
     *
     * @param reason what the push service said, in an administrator's terms
     * @param since when the pause began
     */
    public record Pause(String reason, Instant since) {
    }

}
