package io.maspush.gateway.pushconfig;

import java.net.ServerSocket;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.maspush.gateway.support.MultiEnvironmentTestSupport;
import io.maspush.gateway.support.UpstreamStub;
import org.junit.jupiter.api.Test;

import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MvcResult;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code POST .../push-config/test} sends one notification now and, when it fails, says
 * what to do about it.
 */
class PushTestEndpointTests extends MultiEnvironmentTestSupport {

    private static final String TEST = "{\"recipient\": \"WILSON\"}";

    @Test
    void answersTheOutcomeStatusAndTimeWhenThePushServiceTakesIt() throws Exception {
        MvcResult result = test("test", TEST);

        assertThat(result.getResponse().getStatus()).isEqualTo(200);
        JsonNode answer = this.json.readTree(result.getResponse().getContentAsString());
        assertThat(answer.get("outcome").asText()).isEqualTo("delivered");
        assertThat(answer.get("upstreamStatus").asInt()).isEqualTo(200);
        assertThat(answer.get("tookMs").asLong()).isNotNegative();
        UpstreamStub.server()
            .verify(1, postRequestedFor(urlEqualTo(TEST_PATH))
                .withRequestBody(equalToJson("{\"recipients\": [\"WILSON\"], \"category\": \"TEST\"}", true, true)));
    }

    @Test
    void explainsARejectedKey() throws Exception {
        UpstreamStub.server().stubFor(post(urlEqualTo(TEST_PATH)).willReturn(aResponse().withStatus(401)));

        JsonNode problem = problem(test("test", TEST), 502);

        assertThat(problem.get("type").asText()).endsWith("key-rejected");
        assertThat(problem.get("detail").asText()).contains("rejected the API key")
            .contains("pushnotification.suite.maximo.com/pushnotification/auth");
        assertThat(problem.get("upstreamStatus").asInt()).isEqualTo(401);
    }

    @Test
    void explainsATimeout() throws Exception {
        UpstreamStub.server()
            .stubFor(post(urlEqualTo(TEST_PATH)).willReturn(aResponse().withStatus(200).withFixedDelay(1500)));

        JsonNode problem = problem(test("test", TEST), 504);

        assertThat(problem.get("type").asText()).endsWith("push-timeout");
        assertThat(problem.get("detail").asText()).contains("no answer").contains("network policy");
        assertThat(problem.get("tookMs").asLong()).isGreaterThanOrEqualTo(900);
    }

    @Test
    void explainsARefusedConnection() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        putConfig(GLOBAL_ADMIN, "test", "{\"url\": \"http://localhost:" + closedPort + "/pushnotification/send\"}");

        JsonNode problem = problem(test("test", TEST), 502);

        assertThat(problem.get("type").asText()).endsWith("push-unreachable");
        assertThat(problem.get("detail").asText()).contains("refused or unreachable").contains("port " + closedPort);
    }

    @Test
    void explainsATlsFailure() throws Exception {
        WireMockServer https = new WireMockServer(WireMockConfiguration.options().dynamicPort().dynamicHttpsPort());
        https.start();
        try {
            putConfig(GLOBAL_ADMIN, "test",
                    "{\"url\": \"https://localhost:" + https.httpsPort() + "/pushnotification/sendMessage\"}");

            JsonNode problem = problem(test("test", TEST), 502);

            assertThat(problem.get("type").asText()).endsWith("push-unreachable");
            assertThat(problem.get("detail").asText()).contains("TLS handshake")
                .contains("not trusted")
                .contains("trust store");
        }
        finally {
            https.stop();
        }
    }

    @Test
    void refusesAnotherEnvironmentsAdministrator() throws Exception {
        MvcResult result = this.mvc
            .perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders
                .post("/api/v1/admin/environments/prod/push-config/test")
                .header("Authorization", "Bearer " + TEST_ADMIN)
                .contentType(MediaType.APPLICATION_JSON)
                .content(TEST))
            .andReturn();

        assertThat(result.getResponse().getStatus()).isEqualTo(403);
        UpstreamStub.server().verify(0, postRequestedFor(urlEqualTo(PROD_PATH)));
    }

    private MvcResult test(String environment, String body) throws Exception {
        return this.mvc
            .perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders
                .post("/api/v1/admin/environments/" + environment + "/push-config/test")
                .header("Authorization", "Bearer " + GLOBAL_ADMIN)
                .contentType(MediaType.APPLICATION_JSON)
                .content(body))
            .andReturn();
    }

    private JsonNode problem(MvcResult result, int status) throws Exception {
        assertThat(result.getResponse().getStatus()).isEqualTo(status);
        assertThat(result.getResponse().getContentType()).startsWith("application/problem+json");
        return this.json.readTree(result.getResponse().getContentAsString());
    }

}
