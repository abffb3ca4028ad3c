package io.maspush.gateway.notification;

import com.fasterxml.jackson.databind.JsonNode;
import io.maspush.gateway.support.GatewayTestSupport;
import org.junit.jupiter.api.Test;

import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MvcResult;

import static io.maspush.gateway.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/**
 * A gateway started without an API key refuses notifications instead of queueing what it
 * could never deliver, and its health says why.
 */
@TestPropertySource(properties = "gateway.push.api-key=")
class PushNotConfiguredTests extends GatewayTestSupport {

    @Test
    void refusesANotificationSayingThatPushIsNotConfigured() throws Exception {
        MvcResult result = this.mvc.perform(sending(post("/api/v1/notifications"), MINIMAL)).andReturn();

        JsonNode problem = assertProblem(result, 503);
        assertThat(problem.get("detail").asText()).contains("GATEWAY_PUSH_API_KEY");
        assertThat(result.getResponse().getHeader("Retry-After")).isNotBlank().containsOnlyDigits();
        assertThat(this.jdbc.sql("select count(*) from notification").query(Long.class).single()).isZero();
    }

    @Test
    void reportsThePushComponentAsNotConfigured() throws Exception {
        MvcResult result = this.mvc.perform(get("/actuator/health")).andReturn();

        JsonNode health = this.json.readTree(result.getResponse().getContentAsString());
        assertThat(result.getResponse().getStatus()).isEqualTo(503);
        JsonNode push = health.path("components").path("push");
        assertThat(push.path("status").asText()).isEqualTo("DOWN");
        assertThat(push.path("details").path("default").path("configured").isBoolean()).isTrue();
        assertThat(push.path("details").path("default").path("configured").asBoolean()).isFalse();
        assertThat(push.path("details").path("default").path("problem").asText()).contains("GATEWAY_PUSH_API_KEY");
    }

    @Test
    void staysReadyWhilePushIsNotConfigured() throws Exception {
        MvcResult result = this.mvc.perform(get("/actuator/health/readiness")).andReturn();

        assertThat(result.getResponse().getStatus()).isEqualTo(200);
    }

}
