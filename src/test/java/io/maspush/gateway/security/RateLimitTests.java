package io.maspush.gateway.security;

import io.maspush.gateway.support.GatewayTestSupport;
import org.junit.jupiter.api.Test;

import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MvcResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/**
 * A client over its token bucket gets 429 with {@code Retry-After}; other clients are not
 * affected.
 */
class RateLimitTests extends GatewayTestSupport {

    @Test
    void answers429WithRetryAfterOverTheBurstAndLeavesOtherClientsAlone() throws Exception {
        assertThat(sendAs(LIMITED_TOKEN).getResponse().getStatus()).isEqualTo(202);
        assertThat(sendAs(LIMITED_TOKEN).getResponse().getStatus()).isEqualTo(202);

        MvcResult limited = sendAs(LIMITED_TOKEN);

        assertThat(limited.getResponse().getStatus()).isEqualTo(429);
        assertThat(limited.getResponse().getHeader("Retry-After")).isEqualTo("1");
        assertThat(limited.getResponse().getContentType()).startsWith("application/problem+json");
        assertThat(limited.getResponse().getContentAsString()).contains("limited").contains("rate limit");
        assertThat(sendAs(SENDER_TOKEN).getResponse().getStatus()).isEqualTo(202);
        Thread.sleep(1100);
        assertThat(sendAs(LIMITED_TOKEN).getResponse().getStatus()).isEqualTo(202);
    }

    private MvcResult sendAs(String token) throws Exception {
        return this.mvc
            .perform(post("/api/v1/notifications").header("Authorization", "Bearer " + token)
                .contentType(MediaType.APPLICATION_JSON)
                .content(MINIMAL))
            .andReturn();
    }

}
