package io.maspush.gateway.delivery;

import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.maspush.gateway.support.GatewayTestSupport;
import io.maspush.gateway.support.UpstreamStub;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every way the push service can answer, and what the gateway makes of it.
 */
@ExtendWith(OutputCaptureExtension.class)
class DeliveryOutcomeTests extends GatewayTestSupport {

    @Test
    void deliversWithTheDocumentedMessageShapeAndHeaders() throws Exception {
        UUID id = send("""
                {"recipients": ["WILSON", "SMITH", "WILSON"], "title": "Work order 1042 assigned",
                 "body": "Pump P-100 leaks at the north inlet", "category": "ASSIGNMENT", "priority": "HIGH",
                 "data": {"recordType": "WORKORDER", "recordId": "1042"}, "ttl": "PT4H"}""");

        JsonNode delivered = awaitStatus(id, "DELIVERED");

        assertThat(delivered.get("attempts").asInt()).isEqualTo(1);
        assertThat(delivered.get("deliveredAt").isNull()).isFalse();
        assertThat(delivered.get("recipients")).hasSize(2);
        UpstreamStub.server()
            .verify(1,
                    postRequestedFor(urlEqualTo(UpstreamStub.PATH)).withHeader("X-API-Key", equalTo(API_KEY))
                        .withHeader("Idempotency-Key", equalTo(id.toString()))
                        .withHeader("User-Agent", matching("mas-push-gateway/.+"))
                        .withHeader("Content-Type", matching("application/json.*"))
                        .withRequestBody(equalToJson("""
                                {"bundleId": "com.ibm.iot.maximo.mobile", "notificationId": "%s",
                                 "recipients": ["WILSON", "SMITH"], "title": "Work order 1042 assigned",
                                 "body": "Pump P-100 leaks at the north inlet", "category": "ASSIGNMENT",
                                 "priority": "HIGH", "data": {"recordType": "WORKORDER", "recordId": "1042"},
                                 "expiresAt": "${json-unit.any-string}"}
                                """.formatted(id))));
    }

    @Test
    void anAnswerThatEchoesTheKeyIsKeptWithoutIt(CapturedOutput output) throws Exception {
        UpstreamStub.server()
            .stubFor(post(urlEqualTo(UpstreamStub.PATH)).willReturn(aResponse().withStatus(400)
                .withBody("{\"error\": \"" + "no such bundle ".repeat(12) + "for key " + API_KEY + "\"}")));

        UUID id = send(MINIMAL);

        JsonNode failed = awaitStatus(id, "FAILED");
        assertThat(failed.get("lastError").asText()).as("the key is cut out whole before the text is shortened")
            .endsWith("for key [");
        assertThat(output.getAll()).doesNotContain(API_KEY);
    }

    @ParameterizedTest
    @ValueSource(ints = { 408, 425, 429, 500, 502, 503, 504 })
    void retriesRetryableStatusesUntilDelivered(int status) throws Exception {
        failFirst(2, aResponse().withStatus(status).withBody("busy"));

        UUID id = send(MINIMAL);

        JsonNode delivered = awaitStatus(id, "DELIVERED");
        assertThat(delivered.get("attempts").asInt()).isEqualTo(3);
        UpstreamStub.server().verify(3, postRequestedFor(urlEqualTo(UpstreamStub.PATH)));
    }

    @ParameterizedTest
    @ValueSource(ints = { 400, 404, 413, 422 })
    void failsForGoodOnPermanentStatusesKeepingTheUpstreamStatus(int status) throws Exception {
        stub(aResponse().withStatus(status).withBody("{\"error\":\"bad message\"}"));

        UUID id = send(MINIMAL);

        JsonNode failed = awaitStatus(id, "FAILED");
        assertThat(failed.get("attempts").asInt()).isEqualTo(1);
        assertThat(failed.get("lastError").asText()).contains("HTTP " + status).contains("bad message");
        Thread.sleep(200);
        UpstreamStub.server().verify(1, postRequestedFor(urlEqualTo(UpstreamStub.PATH)));
    }

    @Test
    void retriesAfterAConnectionReset() throws Exception {
        failFirst(1, aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER));

        UUID id = send(MINIMAL);

        assertThat(awaitStatus(id, "DELIVERED").get("attempts").asInt()).isEqualTo(2);
    }

    @Test
    void retriesAfterAResponseTimeout() throws Exception {
        failFirst(1, aResponse().withStatus(200).withFixedDelay(2500));

        UUID id = send(MINIMAL);

        assertThat(awaitStatus(id, "DELIVERED").get("attempts").asInt()).isEqualTo(2);
    }

    @Test
    void failsWithAttemptsExhaustedWhenTheLimitIsReached() throws Exception {
        stub(aResponse().withStatus(503));

        UUID id = send(MINIMAL);

        JsonNode failed = awaitStatus(id, "FAILED");
        assertThat(failed.get("attempts").asInt()).isEqualTo(4);
        assertThat(failed.get("lastError").asText()).startsWith("gave up after 4 attempts").contains("503");
        UpstreamStub.server().verify(4, postRequestedFor(urlEqualTo(UpstreamStub.PATH)));
    }

    @Test
    void honoursRetryAfterInSecondsAndHoldsTheWholeEnvironment(CapturedOutput output) throws Exception {
        failFirst(1, aResponse().withStatus(429).withHeader("Retry-After", "1"));
        UUID first = send(MINIMAL);
        org.awaitility.Awaitility.await()
            .atMost(Duration.ofSeconds(5))
            .until(() -> this.gates.get("default").isHeldAt(this.clock.instant()));

        UUID second = send(MINIMAL);
        Thread.sleep(500);

        UpstreamStub.server().verify(1, postRequestedFor(urlEqualTo(UpstreamStub.PATH)));
        assertThat(status(second).get("status").asText()).isEqualTo("QUEUED");
        awaitStatus(first, "DELIVERED");
        awaitStatus(second, "DELIVERED");
        assertThat(elapsedBetweenFirstTwoCalls()).isGreaterThanOrEqualTo(Duration.ofMillis(950));
        assertThat(output.getOut()).contains("Deliveries for environment default held for 1 s")
            .contains("Deliveries for environment default resume: the wait the push service asked for is over");
    }

    @Test
    void honoursRetryAfterAsAnHttpDate() throws Exception {
        String inTwoSeconds = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now().plusSeconds(2));
        failFirst(1, aResponse().withStatus(503).withHeader("Retry-After", inTwoSeconds));

        UUID id = send(MINIMAL);

        awaitStatus(id, "DELIVERED");
        assertThat(elapsedBetweenFirstTwoCalls()).isGreaterThanOrEqualTo(Duration.ofMillis(900));
    }

    @Test
    void expiresInsteadOfSendingAfterTheTimeToLive() throws Exception {
        stub(aResponse().withStatus(503));
        UUID id = send("""
                {"recipients": ["WILSON"], "title": "t", "body": "b", "ttl": "PT1M"}""");
        awaitCalls(1);

        this.clock.advance(Duration.ofMinutes(2));

        JsonNode expired = awaitStatus(id, "EXPIRED");
        int calls = UpstreamStub.server().getAllServeEvents().size();
        Thread.sleep(300);
        assertThat(UpstreamStub.server().getAllServeEvents()).hasSize(calls);
        assertThat(expired.get("lastError").asText()).contains("time to live");
    }

    private void stub(com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder response) {
        UpstreamStub.server().resetAll();
        UpstreamStub.server().stubFor(post(urlEqualTo(UpstreamStub.PATH)).willReturn(response));
    }

    private void failFirst(int failures, com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder failure) {
        UpstreamStub.server().resetAll();
        String state = Scenario.STARTED;
        for (int i = 1; i <= failures; i++) {
            String next = "failed-" + i;
            UpstreamStub.server()
                .stubFor(post(urlEqualTo(UpstreamStub.PATH)).inScenario("flaky")
                    .whenScenarioStateIs(state)
                    .willReturn(failure)
                    .willSetStateTo(next));
            state = next;
        }
        UpstreamStub.server()
            .stubFor(post(urlEqualTo(UpstreamStub.PATH)).inScenario("flaky")
                .whenScenarioStateIs(state)
                .willReturn(aResponse().withStatus(200).withBody("{}")));
    }

    private void awaitCalls(int calls) {
        org.awaitility.Awaitility.await()
            .atMost(Duration.ofSeconds(5))
            .until(() -> UpstreamStub.server().getAllServeEvents().size() >= calls);
    }

    private Duration elapsedBetweenFirstTwoCalls() {
        var events = UpstreamStub.server().getAllServeEvents();
        var times = events.stream().map((event) -> event.getRequest().getLoggedDate().toInstant()).sorted().toList();
        return Duration.between(times.get(0), times.get(1));
    }

}
