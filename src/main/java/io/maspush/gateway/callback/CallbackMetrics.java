package io.maspush.gateway.callback;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.stereotype.Component;

/**
 * Metrics of status callbacks, tagged with the client they belong to.
 */
@Component
class CallbackMetrics {

    private final MeterRegistry registry;

    CallbackMetrics(MeterRegistry registry, CallbackRepository repository) {
        this.registry = registry;
        Gauge.builder("push.callbacks.pending", repository::countPending)
            .description("Status callbacks waiting for their first POST or a retry")
            .register(registry);
    }

    void attempt(String clientId, CallbackOutcome outcome) {
        Counter.builder("push.callback.attempts")
            .description("POSTs of status callbacks by outcome")
            .tags("client", clientId, "outcome", outcome.type().metricTag())
            .register(this.registry)
            .increment();
    }

    void completed(String clientId, String status) {
        Counter.builder("push.callbacks.completed")
            .description("Status callbacks delivered, or given up after every attempt failed")
            .tags("client", clientId, "status", status)
            .register(this.registry)
            .increment();
    }

}
