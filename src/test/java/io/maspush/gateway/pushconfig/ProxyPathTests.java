package io.maspush.gateway.pushconfig;

import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import io.maspush.gateway.support.MultiEnvironmentTestSupport;
import io.maspush.gateway.support.TestHttpProxy;
import io.maspush.gateway.support.UpstreamStub;
import org.junit.jupiter.api.Test;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/**
 * An environment's proxy, set through the admin API, carries its deliveries and its
 * connectivity check.
 */
class ProxyPathTests extends MultiEnvironmentTestSupport {

    @Test
    void deliveriesAndTheConnectivityCheckGoThroughTheEnvironmentsProxy() throws Exception {
        try (TestHttpProxy proxy = TestHttpProxy.open()) {
            JsonNode view = this.json
                .readTree(putConfig(GLOBAL_ADMIN, "test", "{\"proxy\": \"" + proxy.host() + ":" + proxy.port() + "\"}")
                    .getResponse()
                    .getContentAsString());
            assertThat(view.get("proxy").asText()).isEqualTo(proxy.host() + ":" + proxy.port());

            String id = this.json
                .readTree(send(TEST_SENDER, "{\"recipients\": [\"WILSON\"], \"title\": \"t\"," + " \"body\": \"b\"}")
                    .getResponse()
                    .getContentAsString())
                .get("id")
                .asText();

            await().atMost(Duration.ofSeconds(5))
                .until(() -> this.json
                    .readTree(getAs(TEST_SENDER, "/api/v1/notifications/" + id).getResponse().getContentAsString())
                    .get("status")
                    .asText()
                    .equals("DELIVERED"));
            assertThat(proxy.requests()).isEqualTo(1);
            UpstreamStub.server().verify(1, postRequestedFor(urlEqualTo(TEST_PATH)));

            JsonNode report = this.json.readTree(this.mvc
                .perform(post("/api/v1/admin/environments/test/connectivity-check").header("Authorization",
                        "Bearer " + GLOBAL_ADMIN))
                .andReturn()
                .getResponse()
                .getContentAsString());
            assertThat(report.get("steps")).extracting((step) -> step.get("name").asText()).contains("proxy");
            assertThat(proxy.tunnels()).isEqualTo(1);

            putConfig(GLOBAL_ADMIN, "test", "{\"proxy\": \"\"}");
            assertThat(pushConfig("test").get("proxy").isNull()).isTrue();
        }
    }

}
