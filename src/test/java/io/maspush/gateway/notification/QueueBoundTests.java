package io.maspush.gateway.notification;

import io.maspush.gateway.support.GatewayTestSupport;
import io.maspush.gateway.support.UpstreamStub;
import org.junit.jupiter.api.Test;

import org.springframework.http.MediaType;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MvcResult;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Past {@code gateway.delivery.max-queued} undelivered notifications the gateway answers
 * 503 with {@code Retry-After} instead of filling the disk.
 */
@TestPropertySource(properties = "gateway.delivery.max-queued=3")
class QueueBoundTests extends GatewayTestSupport {

    @Test
    void refusesWith503OnceTheQueueIsFull() throws Exception {
        UpstreamStub.server().resetAll();
        UpstreamStub.server()
            .stubFor(post(urlEqualTo(UpstreamStub.PATH))
                .willReturn(aResponse().withStatus(503).withHeader("Retry-After", "60")));
        for (int i = 0; i < 3; i++) {
            assertThat(send().getResponse().getStatus()).isEqualTo(202);
        }

        MvcResult refused = send();

        assertThat(refused.getResponse().getStatus()).isEqualTo(503);
        assertThat(refused.getResponse().getHeader("Retry-After")).isEqualTo("30");
        assertThat(refused.getResponse().getContentAsString()).contains("gateway.delivery.max-queued");
        this.jdbc.sql("delete from notification").update();
    }

    private MvcResult send() throws Exception {
        return this.mvc
            .perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post("/api/v1/notifications")
                .header("Authorization", "Bearer " + SENDER_TOKEN)
                .contentType(MediaType.APPLICATION_JSON)
                .content(MINIMAL))
            .andReturn();
    }

}
