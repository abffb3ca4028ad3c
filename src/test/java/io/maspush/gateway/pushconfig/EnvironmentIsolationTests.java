package io.maspush.gateway.pushconfig;

import java.time.Duration;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.maspush.gateway.support.MultiEnvironmentTestSupport;
import io.maspush.gateway.support.UpstreamStub;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One key per MAS environment is enforced: a client sends only through its own
 * environment, an administrator sees only its own, and a problem in one environment never
 * holds up another.
 */
class EnvironmentIsolationTests extends MultiEnvironmentTestSupport {

    private static final String NOTIFICATION = """
            {"recipients": ["WILSON"], "title": "t", "body": "b"}""";

    @Test
    void aClientSendsOnlyThroughItsOwnEnvironmentsUrlAndKey() throws Exception {
        String id = this.json.readTree(send(TEST_SENDER, NOTIFICATION).getResponse().getContentAsString())
            .get("id")
            .asText();

        await().atMost(Duration.ofSeconds(5))
            .untilAsserted(() -> UpstreamStub.server()
                .verify(1, postRequestedFor(urlEqualTo(TEST_PATH)).withHeader("Idempotency-Key", equalTo(id))));
        UpstreamStub.server().verify(0, postRequestedFor(urlEqualTo(PROD_PATH)));
        UpstreamStub.server()
            .verify(0, postRequestedFor(urlEqualTo(TEST_PATH)).withHeader("X-API-Key", equalTo(PROD_FILE_KEY)));
    }

    @Test
    void anAdministratorOfOneEnvironmentCannotReadOrChangeAnother() throws Exception {
        assertThat(getAs(TEST_ADMIN, "/api/v1/admin/environments/test/push-config").getResponse().getStatus())
            .isEqualTo(200);
        assertThat(getAs(TEST_ADMIN, "/api/v1/admin/environments/prod/push-config").getResponse().getStatus())
            .isEqualTo(403);
        assertThat(putConfig(TEST_ADMIN, "prod", "{\"bundleId\": \"com.example.app\"}").getResponse().getStatus())
            .isEqualTo(403);
        JsonNode visible = this.json
            .readTree(getAs(TEST_ADMIN, "/api/v1/admin/environments").getResponse().getContentAsString());
        assertThat(visible).extracting((node) -> node.get("name").asText()).containsExactly("test");
        JsonNode all = this.json
            .readTree(getAs(GLOBAL_ADMIN, "/api/v1/admin/environments").getResponse().getContentAsString());
        assertThat(all).extracting((node) -> node.get("name").asText()).containsExactly("test", "prod");
    }

    @Test
    void aSenderCannotUseTheAdminApiAndAnAdminCannotSend() throws Exception {
        assertThat(getAs(TEST_SENDER, "/api/v1/admin/environments/test/push-config").getResponse().getStatus())
            .isEqualTo(403);
        assertThat(send(GLOBAL_ADMIN, NOTIFICATION).getResponse().getStatus()).isEqualTo(403);
    }

    @Test
    void aRejectedKeyInOneEnvironmentDoesNotPauseAnother() throws Exception {
        UpstreamStub.server().stubFor(post(urlEqualTo(TEST_PATH)).willReturn(aResponse().withStatus(401)));
        send(TEST_SENDER, NOTIFICATION);
        await().atMost(Duration.ofSeconds(5)).until(() -> this.gates.get("test").isPaused());

        String id = this.json.readTree(send(PROD_SENDER, NOTIFICATION).getResponse().getContentAsString())
            .get("id")
            .asText();

        await().atMost(Duration.ofSeconds(5))
            .until(() -> this.json
                .readTree(getAs(PROD_SENDER, "/api/v1/notifications/" + UUID.fromString(id)).getResponse()
                    .getContentAsString())
                .get("status")
                .asText()
                .equals("DELIVERED"));
        assertThat(this.gates.get("prod").isPaused()).isFalse();
        JsonNode states = this.json
            .readTree(getAs(GLOBAL_ADMIN, "/api/v1/admin/environments").getResponse().getContentAsString());
        assertThat(states.get(0).get("paused").asBoolean()).isTrue();
        assertThat(states.get(0).get("pauseReason").asText()).contains("rejected the API key");
        assertThat(states.get(1).get("paused").asBoolean()).isFalse();
    }

    @Test
    void changingTheSettingsResumesAPausedEnvironment() throws Exception {
        UpstreamStub.server().stubFor(post(urlEqualTo(TEST_PATH)).willReturn(aResponse().withStatus(401)));
        send(TEST_SENDER, NOTIFICATION);
        await().atMost(Duration.ofSeconds(5)).until(() -> this.gates.get("test").isPaused());

        putConfig(GLOBAL_ADMIN, "test", "{\"apiKeyHeader\": \"X-API-Key\", \"bundleId\": \"com.ibm.iot.maximo.mobile\","
                + " \"apiKey\": \"replacement-key-777777\"}");

        assertThat(this.gates.get("test").isPaused()).isFalse();
    }

}
