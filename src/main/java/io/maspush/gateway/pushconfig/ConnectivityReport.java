package io.maspush.gateway.pushconfig;

import java.util.List;
import java.util.Optional;

/**
 * What a {@link ConnectivityCheck} found, step by step, in the order the steps ran. The
 * check stops at the first failed step and leaves the later ones out rather than listing
 * them as skipped: a step that did not run has nothing to report, and a list whose last
 * entry is the failure reads the same way to a person and to a health probe.
 *
 * @param ok whether every step succeeded
 * @param steps the steps that ran; when {@code ok} is false, the last one failed
 */
public record ConnectivityReport(boolean ok, List<Step> steps) {

    public ConnectivityReport {
        steps = List.copyOf(steps);
    }

    /**
     * A report of the steps that ran.
     * @param steps the steps, in order
     * @return the report, ok when there is at least one step and all succeeded
     */
    public static ConnectivityReport of(List<Step> steps) {
        return new ConnectivityReport(!steps.isEmpty() && steps.stream().allMatch(Step::ok), steps);
    }

    /**
     * The step of that name, if it ran.
     * @param name one of the names in {@link Step}
     * @return the step
     */
    public Optional<Step> step(String name) {
        return this.steps.stream().filter((step) -> step.name().equals(name)).findFirst();
    }

    /**
     * The step that failed, if one did.
     * @return the failed step
     */
    public Optional<Step> failure() {
        return this.steps.stream().filter((step) -> !step.ok()).findFirst();
    }

    /**
     * One step of the check.
     *
     * @param name {@value #DNS}, {@value #TCP}, {@value #PROXY} or {@value #TLS}
     * @param ok whether it succeeded
     * @param millis how long it took
     * @param message what it found, in an administrator's terms
     */
    public record Step(String name, boolean ok, long millis, String message) {

        /** Resolving the push service's host, or the proxy's when there is one. */
        public static final String DNS = "dns";

        /** Opening a TCP connection to the push service, or to the proxy. */
        public static final String TCP = "tcp";

        /** Asking the proxy for a tunnel to the push service. */
        public static final String PROXY = "proxy";

        /** The TLS handshake with the push service. */
        public static final String TLS = "tls";

    }

}
