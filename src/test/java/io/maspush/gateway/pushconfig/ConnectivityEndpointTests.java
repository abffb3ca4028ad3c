package io.maspush.gateway.pushconfig;

import java.net.ServerSocket;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import io.maspush.gateway.support.MultiEnvironmentTestSupport;
import org.junit.jupiter.api.Test;

import org.springframework.test.web.servlet.MvcResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/**
 * {@code POST .../connectivity-check} reports each step to the push service, and the same
 * check backs the {@code push} health contributor without making liveness or readiness
 * depend on it.
 */
class ConnectivityEndpointTests extends MultiEnvironmentTestSupport {

    @Test
    void reportsEveryStepWhenThePushServiceIsReachable() throws Exception {
        JsonNode report = check("test");

        assertThat(report.get("ok").asBoolean()).isTrue();
        assertThat(report.get("steps")).extracting((step) -> step.get("name").asText()).containsExactly("dns", "tcp");
        assertThat(report.get("steps")).allSatisfy((step) -> assertThat(step.get("ok").asBoolean()).isTrue());
    }

    @Test
    void saysWhichStepFailsWhenThePortIsClosed() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        putConfig(GLOBAL_ADMIN, "test", "{\"url\": \"http://localhost:" + closedPort + "/pushnotification/send\"}");

        JsonNode report = check("test");

        assertThat(report.get("ok").asBoolean()).isFalse();
        JsonNode last = report.get("steps").get(report.get("steps").size() - 1);
        assertThat(last.get("name").asText()).isEqualTo("tcp");
        assertThat(last.get("ok").asBoolean()).isFalse();
        assertThat(last.get("message").asText()).contains(String.valueOf(closedPort));
    }

    @Test
    void healthShowsConnectivityPerEnvironmentButProbesIgnoreIt() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        putConfig(GLOBAL_ADMIN, "prod", "{\"url\": \"http://localhost:" + closedPort + "/pushnotification/send\"}");

        JsonNode health = await().atMost(Duration.ofSeconds(5))
            .until(() -> this.json
                .readTree(this.mvc.perform(get("/actuator/health")).andReturn().getResponse().getContentAsString()),
                    (node) -> node.at("/components/push/details/prod/connectivity").isObject()
                            && node.at("/components/push/details/test/connectivity").isObject());

        assertThat(health.at("/components/push/details/prod/connectivity/ok").asBoolean()).isFalse();
        assertThat(health.at("/components/push/details/prod/connectivity/failure").asText()).startsWith("tcp");
        assertThat(health.at("/components/push/details/test/connectivity/ok").asBoolean()).isTrue();
        assertThat(health.at("/components/push/status").asText()).isEqualTo("DOWN");
        assertThat(this.mvc.perform(get("/actuator/health/liveness")).andReturn().getResponse().getStatus())
            .isEqualTo(200);
        assertThat(this.mvc.perform(get("/actuator/health/readiness")).andReturn().getResponse().getStatus())
            .isEqualTo(200);
    }

    private JsonNode check(String environment) throws Exception {
        MvcResult result = this.mvc
            .perform(post("/api/v1/admin/environments/" + environment + "/connectivity-check").header("Authorization",
                    "Bearer " + GLOBAL_ADMIN))
            .andReturn();
        assertThat(result.getResponse().getStatus()).isEqualTo(200);
        return this.json.readTree(result.getResponse().getContentAsString());
    }

}
