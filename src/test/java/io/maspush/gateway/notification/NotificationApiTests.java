package io.maspush.gateway.notification;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.maspush.gateway.support.GatewayTestSupport;
import io.maspush.gateway.support.UpstreamStub;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.test.web.servlet.MvcResult;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.maspush.gateway.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

/**
 * What {@code POST /api/v1/notifications} answers and what {@code GET} shows afterwards:
 * the accepted answer, ownership, idempotency keys and {@code Prefer: wait}.
 */
class NotificationApiTests extends GatewayTestSupport {

    private static final String NOTIFICATIONS = "/api/v1/notifications";

    @Test
    void answersAcceptedWithTheLocationAndTheQueuedNotification() throws Exception {
        MvcResult result = postNotification(SENDER_TOKEN, MINIMAL, null, null);

        assertThat(result.getResponse().getStatus()).isEqualTo(202);
        JsonNode answer = this.json.readTree(result.getResponse().getContentAsString());
        assertThat(fieldNames(answer)).containsExactlyInAnyOrder("id", "status", "createdAt", "expiresAt");
        UUID id = UUID.fromString(answer.get("id").asText());
        assertThat(result.getResponse().getHeader("Location")).isEqualTo(NOTIFICATIONS + "/" + id);
        assertThat(answer.get("status").asText()).isEqualTo("QUEUED");
        Instant createdAt = Instant.parse(answer.get("createdAt").asText());
        assertThat(createdAt).isBetween(Instant.now().minusSeconds(10), Instant.now());
        assertThat(Duration.between(createdAt, Instant.parse(answer.get("expiresAt").asText())))
            .isEqualTo(Duration.ofHours(24));
        assertThat(result.getResponse().getHeader("Idempotent-Replayed")).isNull();
    }

    @Test
    void setsExpiresAtFromTheTimeToLiveGiven() throws Exception {
        JsonNode answer = accepted(postNotification(SENDER_TOKEN, """
                {"recipients": ["WILSON"], "title": "t", "body": "b", "ttl": "PT4H"}""", null, null));

        assertThat(Duration.between(Instant.parse(answer.get("createdAt").asText()),
                Instant.parse(answer.get("expiresAt").asText())))
            .isEqualTo(Duration.ofHours(4));
    }

    @Test
    void showsEveryDocumentedFieldOfADeliveredNotification() throws Exception {
        JsonNode answer = accepted(postNotification(SENDER_TOKEN, """
                {"recipients": ["WILSON", "SMITH"], "title": "t", "body": "b"}""", null, null));
        UUID id = UUID.fromString(answer.get("id").asText());

        JsonNode shown = awaitStatus(id, "DELIVERED");

        assertThat(fieldNames(shown)).containsExactlyInAnyOrder("id", "status", "attempts", "lastError", "createdAt",
                "updatedAt", "deliveredAt", "expiresAt", "recipients", "api");
        assertThat(shown.get("id").asText()).isEqualTo(id.toString());
        assertThat(shown.get("attempts").asInt()).isEqualTo(1);
        assertThat(shown.get("lastError").isNull()).isTrue();
        assertThat(this.json.convertValue(shown.get("recipients"), List.class)).containsExactly("WILSON", "SMITH");
        Instant createdAt = Instant.parse(shown.get("createdAt").asText());
        Instant updatedAt = Instant.parse(shown.get("updatedAt").asText());
        Instant deliveredAt = Instant.parse(shown.get("deliveredAt").asText());
        assertThat(updatedAt).isAfterOrEqualTo(createdAt);
        assertThat(deliveredAt).isAfterOrEqualTo(createdAt).isBeforeOrEqualTo(updatedAt);
        assertThat(createdAt).as("createdAt as answered when accepted")
            .isEqualTo(Instant.parse(answer.get("createdAt").asText()));
        assertThat(Instant.parse(shown.get("expiresAt").asText())).as("expiresAt as answered when accepted")
            .isEqualTo(Instant.parse(answer.get("expiresAt").asText()));
    }

    @Test
    void showsWhyAQueuedNotificationIsNotDeliveredYet() throws Exception {
        UpstreamStub.server().resetAll();
        UpstreamStub.server()
            .stubFor(post(urlEqualTo(UpstreamStub.PATH))
                .willReturn(aResponse().withStatus(503).withHeader("Retry-After", "2").withBody("maintenance")));
        UUID id = send(MINIMAL);

        JsonNode shown = await().atMost(Duration.ofSeconds(5))
            .until(() -> status(id), (node) -> node.path("attempts").asInt() == 1);

        assertThat(shown.get("status").asText()).isEqualTo("QUEUED");
        assertThat(shown.get("lastError").asText()).contains("503");
        assertThat(shown.get("deliveredAt").isNull()).isTrue();
        forgetQueuedNotifications();
    }

    @Test
    void hidesAnotherClientsNotification() throws Exception {
        UUID id = send(MINIMAL);
        assertThat(getNotification(SENDER_TOKEN, id.toString()).getResponse().getStatus()).isEqualTo(200);

        JsonNode problem = assertProblem(getNotification(OTHER_SENDER_TOKEN, id.toString()), 404);

        assertThat(problem.get("detail").asText()).contains(id.toString());
    }

    @Test
    void answersNotFoundForAnUnknownId() throws Exception {
        send(MINIMAL);
        String unknown = UUID.randomUUID().toString();

        JsonNode problem = assertProblem(getNotification(SENDER_TOKEN, unknown), 404);

        assertThat(problem.get("detail").asText()).contains(unknown);
    }

    @ParameterizedTest
    @ValueSource(strings = { "not-a-uuid", "42", "00000000000000000000000000000000",
            "0f3c1a2e-5b7d-4c9e-8a1f-2b3c4d5e6f7a0", "drop table notification" })
    void answersNotFoundForAnIdThatIsNotAUuid(String id) throws Exception {
        assertProblem(getNotification(SENDER_TOKEN, id), 404);
    }

    @Test
    void replaysTheSameKeyAndBodyWithoutCallingThePushServiceAgain() throws Exception {
        JsonNode first = accepted(postNotification(SENDER_TOKEN, MINIMAL, "order-1042", null));
        UUID id = UUID.fromString(first.get("id").asText());
        awaitStatus(id, "DELIVERED");

        MvcResult replay = postNotification(SENDER_TOKEN, MINIMAL, "order-1042", null);

        assertThat(replay.getResponse().getStatus()).isEqualTo(202);
        assertThat(replay.getResponse().getHeader("Idempotent-Replayed")).isEqualTo("true");
        assertThat(replay.getResponse().getHeader("Location")).isEqualTo(NOTIFICATIONS + "/" + id);
        JsonNode answer = this.json.readTree(replay.getResponse().getContentAsString());
        assertThat(answer.get("id").asText()).isEqualTo(id.toString());
        assertThat(answer.get("status").asText()).isEqualTo("DELIVERED");
        Thread.sleep(300);
        UpstreamStub.server().verify(1, postRequestedFor(urlEqualTo(UpstreamStub.PATH)));
        assertThat(storedNotifications()).isEqualTo(1);
    }

    @Test
    void replaysARequestThatDiffersOnlyInWhatTheDefaultsFillIn() throws Exception {
        UUID id = UUID
            .fromString(accepted(postNotification(SENDER_TOKEN, MINIMAL, "order-1042", null)).get("id").asText());

        MvcResult replay = postNotification(SENDER_TOKEN, """
                {"recipients": ["WILSON", "WILSON"], "title": "Work order 1042 assigned", "body": "Pump P-100 leaks",
                 "priority": "NORMAL", "ttl": "PT24H"}""", "order-1042", null);

        assertThat(replay.getResponse().getStatus()).isEqualTo(202);
        assertThat(this.json.readTree(replay.getResponse().getContentAsString()).get("id").asText())
            .isEqualTo(id.toString());
        assertThat(storedNotifications()).isEqualTo(1);
    }

    @Test
    void refusesTheSameKeyWithADifferentBody() throws Exception {
        UUID id = UUID
            .fromString(accepted(postNotification(SENDER_TOKEN, MINIMAL, "order-1042", null)).get("id").asText());
        awaitStatus(id, "DELIVERED");

        JsonNode problem = assertProblem(postNotification(SENDER_TOKEN, """
                {"recipients": ["WILSON"], "title": "Work order 1043 assigned", "body": "Pump P-100 leaks"}""",
                "order-1042", null), 422);

        assertThat(problem.get("detail").asText()).contains(id.toString());
        assertThat(storedNotifications()).isEqualTo(1);
        Thread.sleep(300);
        UpstreamStub.server().verify(1, postRequestedFor(urlEqualTo(UpstreamStub.PATH)));
    }

    @Test
    void keepsTheIdempotencyKeysOfDifferentClientsApart() throws Exception {
        JsonNode fromSender = accepted(postNotification(SENDER_TOKEN, MINIMAL, "order-1042", null));
        MvcResult fromOther = postNotification(OTHER_SENDER_TOKEN, MINIMAL, "order-1042", null);

        assertThat(fromOther.getResponse().getStatus()).isEqualTo(202);
        assertThat(fromOther.getResponse().getHeader("Idempotent-Replayed")).isNull();
        String otherId = this.json.readTree(fromOther.getResponse().getContentAsString()).get("id").asText();
        assertThat(otherId).isNotEqualTo(fromSender.get("id").asText());
        assertThat(storedNotifications()).isEqualTo(2);
        await().atMost(Duration.ofSeconds(5)).until(() -> UpstreamStub.server().getAllServeEvents().size() >= 2);
        Thread.sleep(300);
        UpstreamStub.server().verify(2, postRequestedFor(urlEqualTo(UpstreamStub.PATH)));
    }

    @Test
    void acceptsAnIdempotencyKeyOfTwoHundredFiftyFivePrintableCharacters() throws Exception {
        String key = "K".repeat(254) + "~";

        accepted(postNotification(SENDER_TOKEN, MINIMAL, key, null));
        MvcResult replay = postNotification(SENDER_TOKEN, MINIMAL, key, null);

        assertThat(replay.getResponse().getStatus()).isEqualTo(202);
        assertThat(replay.getResponse().getHeader("Idempotent-Replayed")).isEqualTo("true");
        assertThat(storedNotifications()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "schl\u00fcssel", "order\t1042", "order\u007F1042" })
    void refusesAnIdempotencyKeyThatIsNotPrintableAscii(String key) throws Exception {
        assertInvalidKey(key);
    }

    @Test
    void refusesAnIdempotencyKeyWithNonAsciiBytesAsTheServletContainerDecodesThem() throws Exception {
        // "order-" and a euro sign sent as UTF-8 (E2 82 AC) reach the application
        // decoded as ISO-8859-1, which turns the byte 0x82 into a C1 control character.
        assertInvalidKey("order-\u00e2\u0082\u00ac");
    }

    @Test
    void refusesAnIdempotencyKeyOfTwoHundredFiftySixCharacters() throws Exception {
        assertInvalidKey("K".repeat(256));
    }

    @Test
    void answersOkWithTheFinalStatusWhenAskedToWaitForDelivery() throws Exception {
        MvcResult result = postNotification(SENDER_TOKEN, MINIMAL, null, "wait=5");

        assertThat(result.getResponse().getStatus()).isEqualTo(200);
        assertThat(result.getResponse().getHeader("Preference-Applied")).isEqualTo("wait=5");
        JsonNode shown = this.json.readTree(result.getResponse().getContentAsString());
        assertThat(shown.get("status").asText()).isEqualTo("DELIVERED");
        assertThat(shown.get("attempts").asInt()).isEqualTo(1);
        assertThat(shown.get("deliveredAt").isNull()).isFalse();
        assertThat(result.getResponse().getHeader("Location"))
            .isEqualTo(NOTIFICATIONS + "/" + shown.get("id").asText());
        UpstreamStub.server().verify(1, postRequestedFor(urlEqualTo(UpstreamStub.PATH)));
    }

    @Test
    void answersAcceptedWhenTheWaitEndsBeforeDelivery() throws Exception {
        UpstreamStub.server().resetAll();
        UpstreamStub.server()
            .stubFor(post(urlEqualTo(UpstreamStub.PATH))
                .willReturn(aResponse().withStatus(503).withHeader("Retry-After", "2")));
        long started = System.nanoTime();

        MvcResult result = postNotification(SENDER_TOKEN, MINIMAL, null, "wait=1");

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(900));
        assertThat(result.getResponse().getStatus()).isEqualTo(202);
        assertThat(result.getResponse().getHeader("Preference-Applied")).isNull();
        JsonNode answer = this.json.readTree(result.getResponse().getContentAsString());
        assertThat(answer.get("status").asText()).isEqualTo("QUEUED");
        assertThat(result.getResponse().getHeader("Location"))
            .isEqualTo(NOTIFICATIONS + "/" + answer.get("id").asText());
        UpstreamStub.server().verify(1, postRequestedFor(urlEqualTo(UpstreamStub.PATH)));
        forgetQueuedNotifications();
    }

    private void assertInvalidKey(String key) throws Exception {
        JsonNode problem = assertProblem(postNotification(SENDER_TOKEN, MINIMAL, key, null), 400);

        assertThat(problem.get("detail").asText()).contains("Idempotency-Key");
        assertThat(storedNotifications()).isZero();
        Thread.sleep(200);
        UpstreamStub.server().verify(0, postRequestedFor(urlEqualTo(UpstreamStub.PATH)));
    }

    private MvcResult postNotification(String token, String body, String idempotencyKey, String prefer)
            throws Exception {
        var request = org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post(NOTIFICATIONS)
            .header("Authorization", "Bearer " + token)
            .contentType("application/json")
            .content(body);
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        if (prefer != null) {
            request.header("Prefer", prefer);
        }
        return this.mvc.perform(request).andReturn();
    }

    private MvcResult getNotification(String token, String id) throws Exception {
        return this.mvc.perform(get(NOTIFICATIONS + "/{id}", id).header("Authorization", "Bearer " + token))
            .andReturn();
    }

    private JsonNode accepted(MvcResult result) throws Exception {
        assertThat(result.getResponse().getStatus()).as(result.getResponse().getContentAsString()).isEqualTo(202);
        return this.json.readTree(result.getResponse().getContentAsString());
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private long storedNotifications() {
        return this.jdbc.sql("select count(*) from notification").query(Long.class).single();
    }

    /**
     * Drop notifications left queued for a retry, so that their retry cannot reach the
     * push service during a later test.
     */
    private void forgetQueuedNotifications() {
        this.jdbc.sql("delete from notification").update();
    }

}
