package io.maspush.gateway.relay;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.maspush.gateway.support.GatewayTestSupport;
import io.maspush.gateway.support.UpstreamStub;
import org.junit.jupiter.api.Test;

import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.maspush.gateway.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

/**
 * MAS Manage points its push notification URL at the gateway and puts a gateway client
 * token where the API key goes: the push service sees the environment's real key and the
 * caller's body, and Manage sees the push service's answer.
 */
class RelayApiTests extends GatewayTestSupport {

    private static final String RELAY_PATH = "/pushnotification/sendMessage";

    /**
     * A body shaped the way MAS might send it, with odd spacing, escapes and non-ASCII
     * text.
     */
    private static final String BODY = "{\"bundleId\" : \"com.ibm.iot.maximo.mobile\", \"apiKey\":\"" + RELAY_TOKEN
            + "\",\n  \"users\": [\"WILSON\", \"ÅSA\"], \"message\": \"Work order 1042 \\u2013 \\\"Pump\\\"\","
            + " \"badge\": 1.0e1 }";

    @Test
    void theUpstreamSeesTheRealKeyAndNeverTheCallersToken() throws Exception {
        this.mvc.perform(relay(BODY)).andReturn();

        LoggedRequest upstream = onlyUpstreamRequest();
        assertThat(upstream.getHeader("X-API-Key")).isEqualTo(API_KEY);
        assertThat(upstream.getBodyAsString()).contains("\"apiKey\":\"" + API_KEY + "\"");
        for (HttpHeader header : upstream.getHeaders().all()) {
            assertThat(header.values()).as("header %s", header.key()).noneMatch((value) -> value.contains(RELAY_TOKEN));
        }
        assertThat(upstream.getBodyAsString()).doesNotContain(RELAY_TOKEN);
    }

    @Test
    void theBodyIsPassedThroughByteForByteExceptTheKey() throws Exception {
        this.mvc.perform(relay(BODY)).andReturn();

        byte[] expected = BODY.replace(RELAY_TOKEN, API_KEY).getBytes(StandardCharsets.UTF_8);
        assertThat(onlyUpstreamRequest().getBody()).isEqualTo(expected);
    }

    @Test
    void theCallerGetsTheUpstreamStatusAndBody() throws Exception {
        UpstreamStub.server()
            .stubFor(post(urlEqualTo(UpstreamStub.PATH)).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"error\":\"unknown bundle\",\"code\":17}")));

        MvcResult result = this.mvc.perform(relay(BODY)).andReturn();

        assertThat(result.getResponse().getStatus()).isEqualTo(400);
        assertThat(result.getResponse().getContentType()).isEqualTo("application/json");
        assertThat(result.getResponse().getContentAsString()).isEqualTo("{\"error\":\"unknown bundle\",\"code\":17}");
        assertThat(upstreamRequests()).hasSize(1);
    }

    @Test
    void theCallerNeverSeesTheRealKeyEvenWhenTheUpstreamEchoesIt() throws Exception {
        UpstreamStub.server()
            .stubFor(post(urlEqualTo(UpstreamStub.PATH))
                .willReturn(aResponse().withStatus(200).withBody("{\"accepted\":true,\"key\":\"" + API_KEY + "\"}")));

        MvcResult result = this.mvc.perform(relay(BODY)).andReturn();

        assertThat(result.getResponse().getStatus()).isEqualTo(200);
        assertThat(result.getResponse().getContentAsString()).doesNotContain(API_KEY)
            .isEqualTo("{\"accepted\":true,\"key\":\"[redacted]\"}");
    }

    @Test
    void aRetryableAnswerIsRetriedWithinTheDeadlineUnderOneIdempotencyKey() throws Exception {
        UpstreamStub.server()
            .stubFor(post(urlEqualTo(UpstreamStub.PATH)).inScenario("flaky")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503))
                .willSetStateTo("recovered"));
        UpstreamStub.server()
            .stubFor(post(urlEqualTo(UpstreamStub.PATH)).inScenario("flaky")
                .whenScenarioStateIs("recovered")
                .willReturn(aResponse().withStatus(200).withBody("{\"id\":\"m-1\"}")));

        MvcResult result = this.mvc.perform(relay(BODY)).andReturn();

        assertThat(result.getResponse().getStatus()).isEqualTo(200);
        assertThat(result.getResponse().getContentAsString()).isEqualTo("{\"id\":\"m-1\"}");
        List<LoggedRequest> calls = upstreamRequests();
        assertThat(calls).hasSize(2);
        assertThat(calls.get(0).getHeader("Idempotency-Key")).isNotBlank()
            .isEqualTo(calls.get(1).getHeader("Idempotency-Key"));
    }

    @Test
    void afterTheDeadlineTheCallerGetsTheLastUpstreamAnswer() throws Exception {
        UpstreamStub.server()
            .stubFor(post(urlEqualTo(UpstreamStub.PATH))
                .willReturn(aResponse().withStatus(503).withBody("{\"error\":\"maintenance\"}")));
        long started = System.nanoTime();

        MvcResult result = this.mvc.perform(relay(BODY)).andReturn();

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(3));
        assertThat(result.getResponse().getStatus()).isEqualTo(503);
        assertThat(result.getResponse().getContentAsString()).isEqualTo("{\"error\":\"maintenance\"}");
        assertThat(upstreamRequests()).hasSizeGreaterThan(1);
    }

    @Test
    void anOpenCircuitAnswers503WithRetryAfterAndCallsNothing() throws Exception {
        this.circuitBreakers.circuitBreaker("default").transitionToOpenState();

        MvcResult result = this.mvc.perform(relay(BODY)).andReturn();

        JsonNode problem = assertProblem(result, 503);
        assertThat(problem.get("type").asText()).isEqualTo("urn:mas-push-gateway:problem:relay-refused");
        assertThat(problem.get("detail").asText()).contains("circuit breaker").contains("Nothing was sent");
        assertThat(Integer.parseInt(result.getResponse().getHeader("Retry-After"))).isPositive();
        assertThat(upstreamRequests()).isEmpty();
    }

    @Test
    void aRejectedKeyIsPassedBackAndPausesTheEnvironmentForTheNextRelay() throws Exception {
        UpstreamStub.server()
            .stubFor(post(urlEqualTo(UpstreamStub.PATH))
                .willReturn(aResponse().withStatus(401).withBody("{\"error\":\"invalid api key\"}")));

        MvcResult first = this.mvc.perform(relay(BODY)).andReturn();
        MvcResult second = this.mvc.perform(relay(BODY)).andReturn();

        assertThat(first.getResponse().getStatus()).isEqualTo(401);
        assertThat(first.getResponse().getContentAsString()).isEqualTo("{\"error\":\"invalid api key\"}");
        JsonNode problem = assertProblem(second, 503);
        assertThat(problem.get("detail").asText()).contains("paused").contains("rejected the API key");
        assertThat(second.getResponse().getHeader("Retry-After")).isNotBlank();
        assertThat(upstreamRequests()).hasSize(1);
    }

    @Test
    void theUsualBearerTokenWorksToo() throws Exception {
        MvcResult result = this.mvc.perform(unauthenticated(BODY).header("Authorization", "Bearer " + RELAY_TOKEN))
            .andReturn();

        assertThat(result.getResponse().getStatus()).isEqualTo(200);
        assertThat(onlyUpstreamRequest().getBodyAsString()).contains(API_KEY).doesNotContain(RELAY_TOKEN);
    }

    @Test
    void callersWithoutTheRelayRoleOrAValidTokenAreRefused() throws Exception {
        assertProblem(this.mvc.perform(unauthenticated(BODY)).andReturn(), 401);
        assertProblem(this.mvc.perform(unauthenticated(BODY).header("X-API-Key", "not-a-client-token")).andReturn(),
                401);
        assertProblem(this.mvc.perform(unauthenticated(BODY).header("X-API-Key", SENDER_TOKEN)).andReturn(), 403);
        assertThat(upstreamRequests()).isEmpty();
    }

    @Test
    void aBodyThatIsNotJsonOrTooLargeIsRefusedWithoutCallingUpstream() throws Exception {
        JsonNode notJson = assertProblem(this.mvc.perform(relay("{\"users\": [\"WILSON\"")).andReturn(), 400);
        assertThat(notJson.get("type").asText()).isEqualTo("urn:mas-push-gateway:problem:invalid-relay-body");
        assertProblem(this.mvc.perform(relay("")).andReturn(), 400);
        String huge = "{\"message\": \"" + "x".repeat(70 * 1024) + "\"}";
        assertProblem(this.mvc.perform(relay(huge)).andReturn(), 413);
        assertThat(upstreamRequests()).isEmpty();
    }

    @Test
    void relayedMessagesAreCountedUnderApiRelay() throws Exception {
        this.mvc.perform(relay(BODY)).andReturn();

        String scrape = this.mvc.perform(get("/actuator/prometheus")).andReturn().getResponse().getContentAsString();

        assertThat(scrape)
            .contains("push_notifications_accepted_total{api=\"relay\",application=\"mas-push-gateway\","
                    + "category=\"none\",client=\"manage\",environment=\"default\"}")
            .contains("push_notifications_completed_total{api=\"relay\",application=\"mas-push-gateway\","
                    + "environment=\"default\",reason=\"delivered\",status=\"delivered\"}")
            .contains("push_upstream_requests_seconds_count{api=\"relay\",application=\"mas-push-gateway\","
                    + "environment=\"default\",outcome=\"success\"}");
    }

    @Test
    void inQueueModeTheMessageIsStoredWithoutAnyKeyAndDeliveredLater() throws Exception {
        UpstreamStub.server()
            .stubFor(post(urlEqualTo(UpstreamStub.PATH)).inScenario("busy")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503))
                .willSetStateTo("ready"));
        UpstreamStub.server()
            .stubFor(post(urlEqualTo(UpstreamStub.PATH)).inScenario("busy")
                .whenScenarioStateIs("ready")
                .willReturn(aResponse().withStatus(200)));
        String body = BODY.replace(RELAY_TOKEN, QUEUED_RELAY_TOKEN);

        MvcResult result = this.mvc.perform(unauthenticated(body).header("X-API-Key", QUEUED_RELAY_TOKEN)).andReturn();

        assertThat(result.getResponse().getStatus()).isEqualTo(202);
        JsonNode accepted = this.json.readTree(result.getResponse().getContentAsString());
        UUID id = UUID.fromString(accepted.get("id").asText());
        assertThat(result.getResponse().getHeader("Location")).isEqualTo("/api/v1/notifications/" + id);
        String stored = this.jdbc.sql("select payload from notification where id = :id")
            .param("id", id)
            .query(String.class)
            .single();
        assertThat(stored).doesNotContain(QUEUED_RELAY_TOKEN).doesNotContain(API_KEY).contains("\"users\"");
        JsonNode view = awaitStatus(id, QUEUED_RELAY_TOKEN, "DELIVERED");
        assertThat(view.get("api").asText()).isEqualTo("relay");
        assertThat(view.get("attempts").asInt()).isEqualTo(2);
        List<LoggedRequest> calls = upstreamRequests();
        assertThat(calls).hasSize(2);
        for (LoggedRequest call : calls) {
            assertThat(call.getBody())
                .isEqualTo(body.replace(QUEUED_RELAY_TOKEN, API_KEY).getBytes(StandardCharsets.UTF_8));
            assertThat(call.getHeader("Idempotency-Key")).isEqualTo(id.toString());
        }
    }

    private static MockHttpServletRequestBuilder relay(String body) {
        return unauthenticated(body).header("X-API-Key", RELAY_TOKEN);
    }

    private static MockHttpServletRequestBuilder unauthenticated(String body) {
        return org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post(RELAY_PATH)
            .contentType(MediaType.APPLICATION_JSON)
            .content(body.getBytes(StandardCharsets.UTF_8));
    }

    private static List<LoggedRequest> upstreamRequests() {
        return UpstreamStub.server()
            .getAllServeEvents()
            .stream()
            .map(ServeEvent::getRequest)
            .filter((request) -> UpstreamStub.PATH.equals(request.getUrl()))
            .sorted((left, right) -> left.getLoggedDate().compareTo(right.getLoggedDate()))
            .toList();
    }

    private static LoggedRequest onlyUpstreamRequest() {
        List<LoggedRequest> requests = upstreamRequests();
        assertThat(requests).hasSize(1);
        return requests.get(0);
    }

}
