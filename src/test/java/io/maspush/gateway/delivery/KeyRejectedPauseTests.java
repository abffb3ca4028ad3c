package io.maspush.gateway.delivery;

import java.time.Duration;
import java.util.UUID;

import io.maspush.gateway.support.GatewayTestSupport;
import io.maspush.gateway.support.UpstreamStub;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;

/**
 * A rejected key pauses the whole environment instead of burning through every message,
 * and a successful probe resumes it.
 */
class KeyRejectedPauseTests extends GatewayTestSupport {

    @ParameterizedTest
    @ValueSource(ints = { 401, 403 })
    void pausesOnARejectedKeyKeepsNotificationsQueuedAndResumesWhenAProbeSucceeds(int status) throws Exception {
        UpstreamStub.server().resetAll();
        UpstreamStub.server().stubFor(post(urlEqualTo(UpstreamStub.PATH)).willReturn(aResponse().withStatus(status)));

        UUID first = send(MINIMAL);
        await().atMost(Duration.ofSeconds(5)).until(() -> this.gates.get("default").isPaused());
        UUID second = send(MINIMAL);
        UUID third = send(MINIMAL);
        Thread.sleep(700);

        assertThat(status(first).get("status").asText()).isEqualTo("QUEUED");
        assertThat(status(first).get("attempts").asInt()).isZero();
        assertThat(status(first).get("lastError").asText()).contains("rejected the API key").contains("paused");
        assertThat(status(second).get("status").asText()).isEqualTo("QUEUED");
        int callsWhilePaused = UpstreamStub.server().getAllServeEvents().size();
        assertThat(callsWhilePaused).as("one rejected call, then one probe per 300 ms at most").isBetween(1, 4);
        this.mvc.perform(get("/actuator/health"))
            .andExpect(jsonPath("$.components.push.status").value("DOWN"))
            .andExpect(jsonPath("$.components.push.details.default.paused")
                .value(org.hamcrest.Matchers.containsString("rejected the API key")));
        this.mvc.perform(get("/actuator/health/liveness")).andExpect(jsonPath("$.status").value("UP"));
        this.mvc.perform(get("/actuator/prometheus"))
            .andExpect(org.springframework.test.web.servlet.result.MockMvcResultMatchers.content()
                .string(org.hamcrest.Matchers
                    .containsString("push_delivery_paused{application=\"mas-push-gateway\",environment=\"default\","
                            + "reason=\"key_rejected\"} 1.0")));

        UpstreamStub.server().resetAll();
        UpstreamStub.server().stubFor(post(urlEqualTo(UpstreamStub.PATH)).willReturn(aResponse().withStatus(200)));

        awaitStatus(first, "DELIVERED");
        awaitStatus(second, "DELIVERED");
        awaitStatus(third, "DELIVERED");
        assertThat(this.gates.get("default").isPaused()).isFalse();
        UpstreamStub.server().verify(3, postRequestedFor(urlEqualTo(UpstreamStub.PATH)));
    }

}
