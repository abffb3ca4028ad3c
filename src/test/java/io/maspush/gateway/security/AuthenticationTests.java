package io.maspush.gateway.security;

import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.maspush.gateway.support.GatewayTestSupport;
import io.maspush.gateway.support.UpstreamStub;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MvcResult;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.maspush.gateway.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/**
 * Who may call the API: a configured client's bearer token with the role the endpoint
 * needs, and nobody else.
 */
class AuthenticationTests extends GatewayTestSupport {

    @Test
    void refusesANotificationWithoutATokenAskingForABearerToken() throws Exception {
        MvcResult result = this.mvc
            .perform(post("/api/v1/notifications").contentType(MediaType.APPLICATION_JSON).content(MINIMAL))
            .andReturn();

        JsonNode problem = assertProblem(result, 401);
        assertThat(result.getResponse().getHeader("WWW-Authenticate")).isEqualTo("Bearer");
        assertThat(problem.get("detail").asText()).contains("Bearer");
        assertNothingSent();
    }

    @Test
    void refusesToShowANotificationWithoutAToken() throws Exception {
        UUID id = send(MINIMAL);

        MvcResult result = this.mvc.perform(get("/api/v1/notifications/{id}", id)).andReturn();

        assertProblem(result, 401);
        assertThat(result.getResponse().getHeader("WWW-Authenticate")).isEqualTo("Bearer");
    }

    @ParameterizedTest
    @ValueSource(strings = { "Basic abc", "Basic c2VuZGVyOnNlY3JldA==", "Bearer", "Bearer ", "Token abc",
            "sender-token-abcdefghijklmnop" })
    void refusesAMalformedAuthorizationHeader(String header) throws Exception {
        MvcResult result = this.mvc
            .perform(post("/api/v1/notifications").header("Authorization", header)
                .contentType(MediaType.APPLICATION_JSON)
                .content(MINIMAL))
            .andReturn();

        assertProblem(result, 401);
        assertThat(result.getResponse().getHeader("WWW-Authenticate")).isEqualTo("Bearer");
        assertNothingSent();
    }

    @ParameterizedTest
    @ValueSource(strings = { "wrong-token", SENDER_TOKEN + "x", "SENDER-TOKEN-ABCDEFGHIJKLMNOP", "   ",
            "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzZW5kZXIifQ.c2lnbmF0dXJl" })
    void refusesATokenThatBelongsToNoClient(String token) throws Exception {
        MvcResult result = this.mvc
            .perform(post("/api/v1/notifications").header("Authorization", "Bearer " + token)
                .contentType(MediaType.APPLICATION_JSON)
                .content(MINIMAL))
            .andReturn();

        assertProblem(result, 401);
        assertThat(result.getResponse().getHeader("WWW-Authenticate")).isEqualTo("Bearer");
        assertNothingSent();
    }

    @Test
    void acceptsTheBearerSchemeInAnyCase() throws Exception {
        MvcResult result = this.mvc
            .perform(post("/api/v1/notifications").header("Authorization", "bearer " + SENDER_TOKEN)
                .contentType(MediaType.APPLICATION_JSON)
                .content(MINIMAL))
            .andReturn();

        assertThat(result.getResponse().getStatus()).isEqualTo(202);
    }

    @Test
    void forbidsAClientWithoutTheSendRoleToSendANotification() throws Exception {
        MvcResult result = this.mvc
            .perform(post("/api/v1/notifications").header("Authorization", "Bearer " + ADMIN_TOKEN)
                .contentType(MediaType.APPLICATION_JSON)
                .content(MINIMAL))
            .andReturn();

        JsonNode problem = assertProblem(result, 403);
        assertThat(problem.get("detail").asText()).contains("admin").contains("SEND");
        assertNothingSent();
    }

    @Test
    void forbidsAClientWithoutTheSendRoleToReadANotification() throws Exception {
        UUID id = send(MINIMAL);

        MvcResult result = this.mvc
            .perform(get("/api/v1/notifications/{id}", id).header("Authorization", "Bearer " + ADMIN_TOKEN))
            .andReturn();

        assertProblem(result, 403);
    }

    @Test
    void servesHealthWithoutAToken() throws Exception {
        MvcResult result = this.mvc.perform(get("/actuator/health")).andReturn();

        assertThat(result.getResponse().getStatus()).isEqualTo(200);
        assertThat(this.json.readTree(result.getResponse().getContentAsString()).get("status").asText())
            .isEqualTo("UP");
    }

    private void assertNothingSent() throws InterruptedException {
        assertThat(this.jdbc.sql("select count(*) from notification").query(Long.class).single()).isZero();
        Thread.sleep(100);
        UpstreamStub.server().verify(0, postRequestedFor(urlEqualTo(UpstreamStub.PATH)));
    }

}
