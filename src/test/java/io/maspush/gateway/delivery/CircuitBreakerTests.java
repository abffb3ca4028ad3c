package io.maspush.gateway.delivery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.maspush.gateway.support.GatewayTestSupport;
import io.maspush.gateway.support.UpstreamStub;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * While the push service keeps failing the circuit opens: nothing is attempted, accepting
 * stays fast, and everything is delivered once the push service recovers.
 */
class CircuitBreakerTests extends GatewayTestSupport {

    @Test
    void opensAfterRepeatedFailuresStopsCallingAndDeliversEverythingAfterRecovery() throws Exception {
        UpstreamStub.server().resetAll();
        UpstreamStub.server().stubFor(post(urlEqualTo(UpstreamStub.PATH)).willReturn(aResponse().withStatus(500)));
        List<UUID> ids = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ids.add(send(MINIMAL));
        }
        CircuitBreaker breaker = this.circuitBreakers.circuitBreaker("default");
        await().atMost(Duration.ofSeconds(5)).until(() -> breaker.getState() == CircuitBreaker.State.OPEN);
        Thread.sleep(100);
        int callsWhenOpened = UpstreamStub.server().getAllServeEvents().size();

        long start = System.nanoTime();
        ids.add(send(MINIMAL));
        Duration acceptTook = Duration.ofNanos(System.nanoTime() - start);
        Thread.sleep(400);

        assertThat(callsWhenOpened).as("six failures open it; calls already in flight may add a few").isBetween(6, 12);
        assertThat(UpstreamStub.server().getAllServeEvents()).hasSize(callsWhenOpened);
        assertThat(acceptTook).isLessThan(Duration.ofMillis(500));
        for (UUID id : ids) {
            assertThat(status(id).get("status").asText()).isEqualTo("QUEUED");
        }

        UpstreamStub.server().resetAll();
        UpstreamStub.server().stubFor(post(urlEqualTo(UpstreamStub.PATH)).willReturn(aResponse().withStatus(200)));

        for (UUID id : ids) {
            awaitStatus(id, "DELIVERED");
        }
        assertThat(breaker.getState()).isEqualTo(CircuitBreaker.State.CLOSED);
        assertThat(UpstreamStub.server().getAllServeEvents()).hasSize(ids.size());
    }

}
