package io.maspush.gateway.callback;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.maspush.gateway.support.GatewayTestSupport;
import io.maspush.gateway.support.UpstreamStub;
import org.junit.jupiter.api.Test;

import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MvcResult;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.maspush.gateway.support.ProblemAssertions.assertNamesField;
import static io.maspush.gateway.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

/**
 * When a notification reaches its final status, its client hears of it at its callback
 * URL, signed so that the receiver can tell the callback is genuine and fresh; a receiver
 * that fails is retried, and one that is down or slow never holds up a delivery.
 */
class CallbackDeliveryTests extends GatewayTestSupport {

    @Test
    void aDeliveredNotificationIsReportedWithASignatureAnIndependentVerifierAccepts() throws Exception {
        receiverAnswers(CALLBACK_PATH, 204);

        UUID id = sendAsNotified(MINIMAL);

        LoggedRequest callback = awaitCallbacks(CALLBACK_PATH, 1).get(0);
        JsonNode body = this.json.readTree(callback.getBodyAsString());
        assertThat(body.get("id").asText()).isEqualTo(id.toString());
        assertThat(body.get("status").asText()).isEqualTo("DELIVERED");
        assertThat(body.get("attempts").asInt()).isEqualTo(1);
        assertThat(body.get("lastError").isNull()).isTrue();
        assertThat(Instant.parse(body.get("deliveredAt").asText())).isBeforeOrEqualTo(Instant.now());
        assertThat(callback.getHeader("Content-Type")).startsWith("application/json");
        assertThat(callback.getHeader("webhook-id")).isEqualTo(id.toString());
        long timestamp = Long.parseLong(callback.getHeader("webhook-timestamp"));
        assertThat(Math.abs(Instant.now().getEpochSecond() - timestamp)).as("a fresh timestamp").isLessThan(60);
        assertThat(verifies(callback.getHeader("webhook-signature"), id.toString(), timestamp, callback.getBody()))
            .isTrue();
        assertThat(
                verifies(callback.getHeader("webhook-signature"), id.toString(), timestamp - 600, callback.getBody()))
            .as("a replay with another timestamp fails")
            .isFalse();
        assertThat(verifies(callback.getHeader("webhook-signature"), id.toString(), timestamp,
                callback.getBodyAsString().replace("DELIVERED", "FAILED").getBytes(StandardCharsets.UTF_8)))
            .as("a tampered body fails")
            .isFalse();
        awaitCallbackStatus(id, "DELIVERED");
    }

    @Test
    void aFailingReceiverIsRetriedUnderTheSameIdUntilItAccepts() throws Exception {
        String path = "/callbacks/flaky";
        UpstreamStub.server()
            .stubFor(post(urlEqualTo(path)).inScenario("flaky")
                .whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(500))
                .willSetStateTo("second"));
        UpstreamStub.server()
            .stubFor(post(urlEqualTo(path)).inScenario("flaky")
                .whenScenarioStateIs("second")
                .willReturn(aResponse().withStatus(503))
                .willSetStateTo("healthy"));
        UpstreamStub.server()
            .stubFor(post(urlEqualTo(path)).inScenario("flaky")
                .whenScenarioStateIs("healthy")
                .willReturn(aResponse().withStatus(200)));

        UUID id = sendAsNotified(withCallbackUrl(callbackUrl(path)));

        List<LoggedRequest> calls = awaitCallbacks(path, 3);
        assertThat(calls).extracting((call) -> call.getHeader("webhook-id")).containsOnly(id.toString());
        for (LoggedRequest call : calls) {
            long timestamp = Long.parseLong(call.getHeader("webhook-timestamp"));
            assertThat(verifies(call.getHeader("webhook-signature"), id.toString(), timestamp, call.getBody()))
                .isTrue();
        }
        awaitCallbackStatus(id, "DELIVERED");
        assertThat(callbackRow(id).get("attempts")).isEqualTo(3);
        Thread.sleep(300);
        assertThat(callbacksTo(path)).as("no call after the receiver accepted").hasSize(3);
        assertThat(scrape()).contains("push_callback_attempts_total{application=\"mas-push-gateway\","
                + "client=\"notified\",outcome=\"http_error\"} 2.0");
    }

    @Test
    void aReceiverThatIsDownNeitherDelaysDeliveriesNorIsRetriedForever() throws Exception {
        String down = "http://127.0.0.1:" + CLOSED_PORT + "/status";
        List<UUID> ids = new ArrayList<>();
        long started = System.nanoTime();
        for (int i = 0; i < 10; i++) {
            ids.add(sendAsNotified(withCallbackUrl(down)));
        }
        for (UUID id : ids) {
            awaitStatus(id, NOTIFIED_TOKEN, "DELIVERED");
        }
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));

        for (UUID id : ids) {
            awaitCallbackStatus(id, "FAILED");
            assertThat(callbackRow(id).get("attempts")).isEqualTo(4);
            assertThat((String) callbackRow(id).get("last_error")).contains("gave up after 4 attempts")
                .contains("refused or unreachable")
                .contains("127.0.0.1:" + CLOSED_PORT);
        }
        assertThat(scrape())
            .contains("push_callback_attempts_total{application=\"mas-push-gateway\",client=\"notified\","
                    + "outcome=\"io_error\"} 40.0")
            .contains("push_callbacks_completed_total{application=\"mas-push-gateway\",client=\"notified\","
                    + "status=\"failed\"} 10.0");
    }

    @Test
    void aSlowReceiverNeverHoldsUpDeliveries() throws Exception {
        String path = "/callbacks/slow";
        UpstreamStub.server()
            .stubFor(post(urlEqualTo(path)).willReturn(aResponse().withStatus(200).withFixedDelay(3000)));
        List<UUID> ids = new ArrayList<>();
        long started = System.nanoTime();

        for (int i = 0; i < 40; i++) {
            ids.add(sendAsNotified(withCallbackUrl(callbackUrl(path))));
        }
        for (UUID id : ids) {
            awaitStatus(id, NOTIFIED_TOKEN, "DELIVERED");
        }

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        assertThat(this.jdbc.sql("select count(*) from notification_callback where status = 'PENDING'")
            .query(Integer.class)
            .single()).as("callbacks still waiting on the slow receiver").isPositive();
    }

    @Test
    void failedNotificationsAreReportedWithTheirReason() throws Exception {
        receiverAnswers(CALLBACK_PATH, 200);
        UpstreamStub.server()
            .stubFor(post(urlEqualTo(UpstreamStub.PATH))
                .willReturn(aResponse().withStatus(400).withBody("{\"error\":\"unknown user\"}")));

        UUID id = sendAsNotified(MINIMAL);

        JsonNode body = this.json.readTree(awaitCallbacks(CALLBACK_PATH, 1).get(0).getBodyAsString());
        assertThat(body.get("id").asText()).isEqualTo(id.toString());
        assertThat(body.get("status").asText()).isEqualTo("FAILED");
        assertThat(body.get("lastError").asText()).contains("400").contains("unknown user");
        assertThat(body.get("deliveredAt").isNull()).isTrue();
    }

    @Test
    void expiredNotificationsAreReported() throws Exception {
        receiverAnswers(CALLBACK_PATH, 200);
        UpstreamStub.server().stubFor(post(urlEqualTo(UpstreamStub.PATH)).willReturn(aResponse().withStatus(503)));
        UUID id = sendAsNotified("""
                {"recipients": ["WILSON"], "title": "t", "body": "b", "ttl": "PT1M"}""");

        this.clock.advance(Duration.ofMinutes(2));

        JsonNode body = this.json.readTree(awaitCallbacks(CALLBACK_PATH, 1).get(0).getBodyAsString());
        assertThat(body.get("id").asText()).isEqualTo(id.toString());
        assertThat(body.get("status").asText()).isEqualTo("EXPIRED");
    }

    @Test
    void aNotificationNamesItsOwnCallbackUrlOnlyUnderItsClientsPrefixes() throws Exception {
        MvcResult outside = this.mvc
            .perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post("/api/v1/notifications")
                .header("Authorization", "Bearer " + NOTIFIED_TOKEN)
                .contentType(MediaType.APPLICATION_JSON)
                .content(withCallbackUrl("http://10.0.0.1/steal")))
            .andReturn();
        JsonNode problem = assertProblem(outside, 400);
        assertNamesField(problem, "callbackUrl");
        assertThat(problem.get("detail").asText()).contains("must start with one of the prefixes");

        MvcResult noPrefixes = this.mvc
            .perform(sending(
                    org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post("/api/v1/notifications"),
                    withCallbackUrl(callbackUrl("/callbacks/x"))))
            .andReturn();
        assertNamesField(assertProblem(noPrefixes, 400), "callbackUrl");
        assertThat(this.jdbc.sql("select count(*) from notification").query(Integer.class).single()).isZero();
    }

    @Test
    void aClientWithoutCallbacksGetsNone() throws Exception {
        UUID id = send(MINIMAL);
        awaitStatus(id, "DELIVERED");
        Thread.sleep(200);

        assertThat(this.jdbc.sql("select count(*) from notification_callback").query(Integer.class).single()).isZero();
    }

    private UUID sendAsNotified(String body) throws Exception {
        MvcResult result = this.mvc
            .perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post("/api/v1/notifications")
                .header("Authorization", "Bearer " + NOTIFIED_TOKEN)
                .contentType(MediaType.APPLICATION_JSON)
                .content(body))
            .andReturn();
        assertThat(result.getResponse().getStatus()).as(result.getResponse().getContentAsString()).isEqualTo(202);
        return UUID.fromString(this.json.readTree(result.getResponse().getContentAsString()).get("id").asText());
    }

    private static String withCallbackUrl(String url) {
        return "{\"recipients\": [\"WILSON\"], \"title\": \"t\", \"body\": \"b\", \"callbackUrl\": \"" + url + "\"}";
    }

    /**
     * Verifies a signature the way a receiver would, from the Standard Webhooks
     * specification alone: HMAC-SHA256 over {@code id.timestamp.body}, base64, after
     * {@code v1,}.
     */
    private static boolean verifies(String header, String id, long timestamp, byte[] body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(CALLBACK_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        byte[] signed = (id + "." + timestamp + "." + new String(body, StandardCharsets.UTF_8))
            .getBytes(StandardCharsets.UTF_8);
        String expected = "v1," + Base64.getEncoder().encodeToString(mac.doFinal(signed));
        return List.of(header.split(" ")).contains(expected);
    }

    private static void receiverAnswers(String path, int status) {
        UpstreamStub.server().stubFor(post(urlEqualTo(path)).willReturn(aResponse().withStatus(status)));
    }

    private static List<LoggedRequest> callbacksTo(String path) {
        return UpstreamStub.server()
            .getAllServeEvents()
            .stream()
            .map(ServeEvent::getRequest)
            .filter((request) -> path.equals(request.getUrl()))
            .sorted((left, right) -> left.getLoggedDate().compareTo(right.getLoggedDate()))
            .toList();
    }

    private static List<LoggedRequest> awaitCallbacks(String path, int count) {
        return await().atMost(Duration.ofSeconds(10))
            .pollInterval(Duration.ofMillis(20))
            .until(() -> callbacksTo(path), (calls) -> calls.size() >= count);
    }

    private void awaitCallbackStatus(UUID id, String status) {
        await().atMost(Duration.ofSeconds(10))
            .pollInterval(Duration.ofMillis(20))
            .until(() -> callbackRow(id).get("status"), status::equals);
    }

    private java.util.Map<String, Object> callbackRow(UUID id) {
        return this.jdbc
            .sql("select status, attempts, last_error from notification_callback where notification_id = :id")
            .param("id", id)
            .query()
            .singleRow();
    }

    private String scrape() throws Exception {
        return this.mvc.perform(get("/actuator/prometheus")).andReturn().getResponse().getContentAsString();
    }

}
