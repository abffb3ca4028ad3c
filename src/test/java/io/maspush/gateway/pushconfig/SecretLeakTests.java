package io.maspush.gateway.pushconfig;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.maspush.gateway.support.MultiEnvironmentTestSupport;
import io.maspush.gateway.support.UpstreamStub;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

/**
 * No API key, client token or encryption key appears in any response, any log line or any
 * actuator endpoint, whatever the gateway goes through.
 */
@ExtendWith(OutputCaptureExtension.class)
class SecretLeakTests extends MultiEnvironmentTestSupport {

    private static final String ADMIN_KEY = "admin-secret-key-999999";

    @Test
    void noSecretInResponsesLogsOrActuatorEndpoints(CapturedOutput output) throws Exception {
        List<String> bodies = new ArrayList<>();
        String notification = "{\"recipients\": [\"WILSON\"], \"title\": \"t\", \"body\": \"b\"}";
        bodies.add(send(TEST_SENDER, notification).getResponse().getContentAsString());
        bodies.add(putConfig(GLOBAL_ADMIN, "prod", "{\"apiKey\": \"" + ADMIN_KEY + "\"}").getResponse()
            .getContentAsString());
        bodies.add(putConfig(GLOBAL_ADMIN, "prod", "{\"apiKey\": \"bad key with spaces\"}").getResponse()
            .getContentAsString());
        UpstreamStub.server().stubFor(post(urlEqualTo(PROD_PATH)).willReturn(aResponse().withStatus(401)));
        bodies.add(send(PROD_SENDER, notification).getResponse().getContentAsString());
        await().atMost(Duration.ofSeconds(5)).until(() -> this.gates.get("prod").isPaused());
        UpstreamStub.server().stubFor(post(urlEqualTo(TEST_PATH)).willReturn(aResponse().withStatus(500)));
        bodies.add(send(TEST_SENDER, notification).getResponse().getContentAsString());
        for (String path : List.of("/api/v1/admin/environments", "/api/v1/admin/environments/prod/push-config",
                "/api/v1/admin/environments/test/push-config", "/api/v1/admin/environments/prod/push-config/history",
                "/api/v1/admin/environments/test/push-config/history")) {
            bodies.add(getAs(GLOBAL_ADMIN, path).getResponse().getContentAsString());
        }
        for (String path : List.of("/actuator/health", "/actuator/health/liveness", "/actuator/health/readiness",
                "/actuator/info", "/actuator/prometheus", "/actuator/env", "/actuator/configprops")) {
            bodies.add(this.mvc.perform(get(path)).andReturn().getResponse().getContentAsString());
        }
        bodies.add(getAs("not-a-token", "/api/v1/notifications/x").getResponse().getContentAsString());

        String everything = String.join("\n", bodies) + "\n" + output.getAll();
        for (String secret : List.of(TEST_KEY, PROD_FILE_KEY, ADMIN_KEY, "bad key with spaces", ENCRYPTION_KEY,
                PROXY_PASSWORD, TEST_SENDER, PROD_SENDER, TEST_ADMIN, GLOBAL_ADMIN)) {
            assertThat(everything).as("no trace of a secret").doesNotContain(secret);
        }
        assertThat(bodies.get(1)).contains("\"source\":\"admin\"");
        assertThat(output.getAll()).contains("paused");
    }

}
