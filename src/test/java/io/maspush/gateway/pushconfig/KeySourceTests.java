package io.maspush.gateway.pushconfig;

import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import io.maspush.gateway.secret.Secret;
import io.maspush.gateway.support.MultiEnvironmentTestSupport;
import io.maspush.gateway.support.UpstreamStub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The key comes from the admin API, then the key file, then the configuration; every
 * change applies to the next delivery without a restart and is audited.
 */
class KeySourceTests extends MultiEnvironmentTestSupport {

    private static final String NOTIFICATION = """
            {"recipients": ["WILSON"], "title": "t", "body": "b"}""";

    @AfterEach
    void restoreKeyFile() {
        writeProdKeyFile(PROD_FILE_KEY);
    }

    @Test
    void configurationKeyIsUsedWhenNothingElseIsSet() throws Exception {
        JsonNode view = pushConfig("test");

        assertThat(view.at("/apiKey/source").asText()).isEqualTo("config");
        assertThat(view.at("/apiKey/fingerprint").asText()).isEqualTo(Secret.ofNullable(TEST_KEY).fingerprint());
        assertThat(view.at("/apiKey/configured").asBoolean()).isTrue();
        JsonNode history = this.json
            .readTree(getAs(GLOBAL_ADMIN, "/api/v1/admin/environments/test/push-config/history?size=100").getResponse()
                .getContentAsString());
        assertThat(history.get("entries")).anySatisfy((entry) -> {
            assertThat(entry.get("changedBy").asText()).isEqualTo("config");
            assertThat(entry.get("newKeyFingerprint").asText()).isEqualTo(Secret.ofNullable(TEST_KEY).fingerprint());
        });
    }

    @Test
    void fileBeatsConfigurationAndAChangedFileIsPickedUpWithoutRestartAndAudited() throws Exception {
        assertThat(pushConfig("prod").at("/apiKey/source").asText()).isEqualTo("file");
        assertThat(pushConfig("prod").at("/apiKey/fingerprint").asText())
            .isEqualTo(Secret.ofNullable(PROD_FILE_KEY).fingerprint());

        writeProdKeyFile("prod-rotated-key-333333");

        String rotated = Secret.ofNullable("prod-rotated-key-333333").fingerprint();
        await().atMost(Duration.ofSeconds(5))
            .until(() -> pushConfig("prod").at("/apiKey/fingerprint").asText().equals(rotated));
        assertThat(send(PROD_SENDER, NOTIFICATION).getResponse().getStatus()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(5))
            .untilAsserted(() -> UpstreamStub.server()
                .verify(1, postRequestedFor(urlEqualTo(PROD_PATH)).withHeader("X-API-Key",
                        equalTo("prod-rotated-key-333333"))));
        JsonNode history = this.json
            .readTree(getAs(GLOBAL_ADMIN, "/api/v1/admin/environments/prod/push-config/history").getResponse()
                .getContentAsString());
        JsonNode newest = history.get("entries").get(0);
        assertThat(newest.get("changedBy").asText()).isEqualTo("file");
        assertThat(newest.get("fields")).extracting(JsonNode::asText).containsExactly("apiKey");
        assertThat(newest.get("oldKeyFingerprint").asText()).isEqualTo(Secret.ofNullable(PROD_FILE_KEY).fingerprint());
        assertThat(newest.get("newKeyFingerprint").asText()).isEqualTo(rotated);
    }

    @Test
    void adminKeyBeatsFileAndConfiguration() throws Exception {
        assertThat(putConfig(GLOBAL_ADMIN, "test", "{\"apiKey\": \"admin-set-key-444444\"}").getResponse().getStatus())
            .isEqualTo(200);

        JsonNode view = pushConfig("test");
        assertThat(view.at("/apiKey/source").asText()).isEqualTo("admin");
        assertThat(view.at("/apiKey/updatedBy").asText()).isEqualTo("global-admin");
        assertThat(view.at("/apiKey/ageDays").asLong()).isZero();
        assertThat(send(TEST_SENDER, NOTIFICATION).getResponse().getStatus()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(5))
            .untilAsserted(() -> UpstreamStub.server()
                .verify(1, postRequestedFor(urlEqualTo(TEST_PATH)).withHeader("X-API-Key",
                        equalTo("admin-set-key-444444"))));
        JsonNode newest = this.json
            .readTree(getAs(GLOBAL_ADMIN, "/api/v1/admin/environments/test/push-config/history?size=1").getResponse()
                .getContentAsString())
            .get("entries")
            .get(0);
        assertThat(newest.get("changedBy").asText()).isEqualTo("global-admin");
        assertThat(newest.get("oldKeyFingerprint").asText()).isEqualTo(Secret.ofNullable(TEST_KEY).fingerprint());
    }

}
