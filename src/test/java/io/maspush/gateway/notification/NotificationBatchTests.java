package io.maspush.gateway.notification;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.maspush.gateway.support.GatewayTestSupport;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MvcResult;

import static io.maspush.gateway.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/**
 * {@code POST /api/v1/notifications:batch}: every entry is judged on its own, the valid
 * ones are stored together or not at all, and the answer lists each entry's id or errors
 * in the order of the request.
 */
class NotificationBatchTests extends GatewayTestSupport {

    private static final String BATCH = "/api/v1/notifications:batch";

    @Autowired
    private BulkheadRegistry bulkheads;

    @Test
    void answersEachEntryInOrderWithItsIdOrItsErrors() throws Exception {
        MvcResult result = postBatch("""
                {"notifications": [
                  {"recipients": ["WILSON"], "title": "Work order 1042", "body": "Pump leaks"},
                  {"recipients": ["WILSON"], "body": "no title"},
                  {"recipients": ["SMITH"], "title": "t", "body": "b", "data": {"recordId": "7"}, "ttl": "PT4H"},
                  "not an object",
                  {"recipients": ["WILSON"], "title": "t", "body": "b", "colour": "red"},
                  {"recipients": "WILSON", "title": "t", "body": "b"},
                  {"recipients": ["", "SMITH"], "title": "", "body": "b", "priority": "LOW"}
                ]}""", null);

        assertThat(result.getResponse().getStatus()).isEqualTo(200);
        JsonNode answer = this.json.readTree(result.getResponse().getContentAsString());
        assertThat(answer.get("accepted").asInt()).isEqualTo(2);
        assertThat(answer.get("rejected").asInt()).isEqualTo(5);
        JsonNode results = answer.get("results");
        assertThat(results).hasSize(7);
        for (int i = 0; i < 7; i++) {
            assertThat(results.get(i).get("index").asInt()).isEqualTo(i);
        }
        assertThat(results.get(0).get("status").asText()).isEqualTo("QUEUED");
        assertThat(results.get(0).has("errors")).isFalse();
        assertThat(errorFields(results.get(1))).containsExactly("notifications[1].title");
        assertThat(results.get(2).get("id").asText()).isNotBlank();
        assertThat(errorFields(results.get(3))).containsExactly("notifications[3]");
        assertThat(errorFields(results.get(4))).containsExactly("notifications[4].colour");
        assertThat(errorFields(results.get(5))).containsExactly("notifications[5].recipients");
        assertThat(errorFields(results.get(6))).containsExactly("notifications[6].priority");
        assertThat(results.get(6).has("id")).isFalse();

        UUID first = UUID.fromString(results.get(0).get("id").asText());
        UUID third = UUID.fromString(results.get(2).get("id").asText());
        awaitStatus(first, "DELIVERED");
        awaitStatus(third, "DELIVERED");
        assertThat(storedNotifications()).isEqualTo(2);
    }

    @Test
    void anEntryIsJudgedByTheSameRulesAndWordsAsASingleNotification() throws Exception {
        String invalid = """
                {"recipients": ["", "SMITH"], "title": "", "body": "b", "category": "lower case"}""";
        JsonNode single = assertProblem(this.mvc.perform(sending(post("/api/v1/notifications"), invalid)).andReturn(),
                400);

        JsonNode entry = this.json
            .readTree(postBatch("{\"notifications\": [" + invalid + "]}", null).getResponse().getContentAsString())
            .get("results")
            .get(0);

        List<String> expected = new ArrayList<>();
        single.get("errors")
            .forEach((error) -> expected
                .add("notifications[0]." + error.get("field").asText() + " " + error.get("message").asText()));
        List<String> actual = new ArrayList<>();
        entry.get("errors")
            .forEach((error) -> actual.add(error.get("field").asText() + " " + error.get("message").asText()));
        assertThat(expected).hasSize(3);
        assertThat(actual).isEqualTo(expected);
    }

    @Test
    void holdsUpTo500AndRefusesMoreOrNone() throws Exception {
        MvcResult full = postBatch(batchOf(500, MINIMAL), null);
        assertThat(full.getResponse().getStatus()).isEqualTo(200);
        assertThat(this.json.readTree(full.getResponse().getContentAsString()).get("accepted").asInt()).isEqualTo(500);
        await().atMost(Duration.ofSeconds(30))
            .until(() -> this.jdbc.sql("select count(*) from notification where status = 'DELIVERED'")
                .query(Integer.class)
                .single() == 500);

        JsonNode tooMany = assertProblem(postBatch(batchOf(501, MINIMAL), null), 400);
        assertThat(tooMany.get("type").asText()).isEqualTo("urn:mas-push-gateway:problem:invalid-batch");
        assertThat(tooMany.get("detail").asText()).contains("1 to 500").contains("501");
        assertProblem(postBatch("{\"notifications\": []}", null), 400);
        assertThat(storedNotifications()).isEqualTo(500);
    }

    @Test
    void refusesARequestThatIsNotABatch() throws Exception {
        assertThat(assertProblem(postBatch("[" + MINIMAL + "]", null), 400).get("detail").asText())
            .contains("{\"notifications\": [...]}");
        assertThat(assertProblem(postBatch("{\"notifications\": " + MINIMAL + "}", null), 400).get("detail").asText())
            .contains("must be an array");
        assertThat(assertProblem(postBatch("{\"notifications\": [" + MINIMAL + "], \"dryRun\": true}", null), 400)
            .get("detail")
            .asText()).contains("dryRun");
        assertThat(assertProblem(postBatch("{\"notifications\": [" + MINIMAL, null), 400).get("type").asText())
            .isEqualTo("urn:mas-push-gateway:problem:malformed-request");
        assertThat(storedNotifications()).isZero();
    }

    @Test
    void takesBodiesBeyondTheSingleLimitUpToFourMebibytes() throws Exception {
        String large = "{\"recipients\": [\"WILSON\"], \"title\": \"t\", \"body\": \"" + "x".repeat(3900) + "\"}";

        MvcResult accepted = postBatch(batchOf(100, large), null);
        String data = "\"data\": {\"a\": \"" + "v".repeat(1000) + "\", \"b\": \"" + "v".repeat(1000) + "\", \"c\": \""
                + "v".repeat(1000) + "\", \"d\": \"" + "v".repeat(1000) + "\", \"e\": \"" + "v".repeat(1000) + "\"}";
        String tooLarge = batchOf(500, "{\"recipients\": [\"WILSON\"], \"title\": \"t\", \"body\": \""
                + "x".repeat(3990) + "\", " + data + "}");
        assertThat(tooLarge.length()).isGreaterThan(4 * 1024 * 1024);
        MvcResult refused = postBatch(tooLarge, null);

        assertThat(accepted.getResponse().getStatus()).isEqualTo(200);
        assertThat(assertProblem(refused, 413).get("detail").asText()).contains("4096 KiB");
        assertThat(storedNotifications()).isEqualTo(100);
    }

    @Test
    void storesTheValidEntriesTogetherOrNotAtAll() throws Exception {
        int freeSlots = this.bulkheads.bulkhead("default").getMetrics().getMaxAllowedConcurrentCalls();
        await().atMost(Duration.ofSeconds(10))
            .until(() -> this.bulkheads.bulkhead("default").getMetrics().getAvailableConcurrentCalls() == freeSlots);
        this.jdbc.sql("alter table notification add constraint refuse_poison check (title <> 'POISON')").update();
        try {
            MvcResult result = postBatch("""
                    {"notifications": [
                      {"recipients": ["WILSON"], "title": "one", "body": "b"},
                      {"recipients": ["WILSON"], "title": "two", "body": "b"},
                      {"recipients": ["WILSON"], "title": "POISON", "body": "b"},
                      {"recipients": ["WILSON"], "title": "four", "body": "b"}
                    ]}""", null);

            JsonNode problem = assertProblem(result, 503);
            assertThat(problem.get("type").asText()).isEqualTo("urn:mas-push-gateway:problem:storage-unavailable");
            assertThat(storedNotifications()).isZero();
        }
        finally {
            this.jdbc.sql("alter table notification drop constraint refuse_poison").update();
        }
        await("workers reserved for the batch are handed back").atMost(Duration.ofSeconds(5))
            .until(() -> this.bulkheads.bulkhead("default").getMetrics().getAvailableConcurrentCalls() == freeSlots);
    }

    @Test
    void aBatchSentAgainUnderTheSameKeyIsStoredOnce() throws Exception {
        String batch = "{\"notifications\": [" + MINIMAL + ", {\"title\": \"no recipients\", \"body\": \"b\"}, "
                + MINIMAL.replace("1042", "1043") + "]}";

        JsonNode first = this.json
            .readTree(postBatch(batch, "batch-2026-12-04-0001").getResponse().getContentAsString());
        MvcResult again = postBatch(batch, "batch-2026-12-04-0001");
        MvcResult changed = postBatch(batch.replace("1043", "1044"), "batch-2026-12-04-0001");

        assertThat(again.getResponse().getStatus()).isEqualTo(200);
        assertThat(again.getResponse().getHeader("Idempotent-Replayed")).isEqualTo("true");
        JsonNode replayed = this.json.readTree(again.getResponse().getContentAsString());
        assertThat(replayed.get("results").get(0).get("id")).isEqualTo(first.get("results").get(0).get("id"));
        assertThat(replayed.get("results").get(2).get("id")).isEqualTo(first.get("results").get(2).get("id"));
        assertThat(errorFields(replayed.get("results").get(1))).containsExactly("notifications[1].recipients");
        assertThat(assertProblem(changed, 422).get("type").asText())
            .isEqualTo("urn:mas-push-gateway:problem:idempotency-key-reused");
        assertThat(storedNotifications()).isEqualTo(2);
    }

    private MvcResult postBatch(String body, String idempotencyKey) throws Exception {
        var request = post(BATCH).header("Authorization", "Bearer " + SENDER_TOKEN)
            .contentType(MediaType.APPLICATION_JSON)
            .content(body);
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        return this.mvc.perform(request).andReturn();
    }

    private static String batchOf(int count, String entry) {
        return "{\"notifications\": [" + String.join(",", java.util.Collections.nCopies(count, entry)) + "]}";
    }

    private static List<String> errorFields(JsonNode result) {
        List<String> fields = new ArrayList<>();
        result.get("errors").forEach((error) -> {
            assertThat(error.get("message").asText()).isNotBlank();
            fields.add(error.get("field").asText());
        });
        return fields;
    }

    private int storedNotifications() {
        return this.jdbc.sql("select count(*) from notification").query(Integer.class).single();
    }

}
