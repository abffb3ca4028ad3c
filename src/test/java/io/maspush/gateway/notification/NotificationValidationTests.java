package io.maspush.gateway.notification;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import io.maspush.gateway.support.GatewayTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MvcResult;

import static io.maspush.gateway.support.ProblemAssertions.assertNamesField;
import static io.maspush.gateway.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/**
 * Every limit of {@code POST /api/v1/notifications}, from both sides: the value at the
 * limit is accepted, the one just past it is refused with a problem detail naming the
 * field.
 */
class NotificationValidationTests extends GatewayTestSupport {

    @Test
    void acceptsFiveHundredRecipientsOfOneHundredCharactersEach() throws Exception {
        List<String> recipients = recipients(500, 100);
        String body = this.json.writeValueAsString(with("recipients", recipients));
        assertThat(body.getBytes(StandardCharsets.UTF_8).length).isLessThan(64 * 1024);

        UUID id = accepted(body);

        assertThat(this.json.convertValue(status(id).get("recipients"), List.class)).isEqualTo(recipients);
    }

    @Test
    void acceptsFiveHundredRecipientsOfOneHundredCharactersThatJsonMustEscape() throws Exception {
        List<String> recipients = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            recipients.add("CORP\\".repeat(19) + "\\" + String.format("%04d", i));
        }
        assertThat(recipients).allSatisfy((recipient) -> assertThat(recipient).hasSize(100));
        String body = this.json.writeValueAsString(with("recipients", recipients));
        assertThat(body.getBytes(StandardCharsets.UTF_8).length).isLessThan(64 * 1024);

        UUID id = accepted(body);

        assertThat(this.json.convertValue(status(id).get("recipients"), List.class)).isEqualTo(recipients);
    }

    @Test
    void refusesAnEmptyRecipientListNamingRecipients() throws Exception {
        assertRefused(with("recipients", List.of()), "recipients");
    }

    @Test
    void refusesAMissingRecipientListNamingRecipients() throws Exception {
        assertRefused(without("recipients"), "recipients");
    }

    @Test
    void refusesFiveHundredAndOneRecipientsNamingRecipients() throws Exception {
        assertRefused(with("recipients", recipients(501, 8)), "recipients");
    }

    @Test
    void acceptsARecipientOfOneCharacter() throws Exception {
        accepted(with("recipients", List.of("A")));
    }

    @Test
    void refusesAnEmptyRecipientNamingIt() throws Exception {
        assertRefused(with("recipients", List.of("WILSON", "")), "recipients[1]");
    }

    @Test
    void refusesARecipientOfOneHundredAndOneCharactersNamingIt() throws Exception {
        assertRefused(with("recipients", List.of("A".repeat(101))), "recipients[0]");
    }

    @ParameterizedTest
    @ValueSource(strings = { "WIL\u0007SON", "WILSON\n", "\tWILSON", "WIL\u007FSON" })
    void refusesARecipientWithAControlCharacterNamingIt(String recipient) throws Exception {
        assertRefused(with("recipients", List.of(recipient)), "recipients[0]");
    }

    @Test
    void removesDuplicateRecipientsKeepingTheFirstOccurrenceOrder() throws Exception {
        UUID id = accepted(with("recipients", List.of("A", "A", "B")));

        assertThat(this.json.convertValue(status(id).get("recipients"), List.class)).containsExactly("A", "B");
    }

    @ParameterizedTest
    @ValueSource(strings = { "Work order\u0007 1042", "Work order\n1042", "\u0000" })
    void refusesATitleWithAControlCharacterNamingIt(String title) throws Exception {
        assertRefused(with("title", title), "title");
    }

    @Test
    void acceptsLineBreaksAndTabsInTheBody() throws Exception {
        accepted(with("body", "Pump P-100 leaks\r\nat the north inlet:\tcheck the seal"));
    }

    @ParameterizedTest
    @ValueSource(strings = { "Pump P-100\u0000 leaks", "Pump P-100\u001b[31m leaks", "\u007f" })
    void refusesOtherControlCharactersInTheBodyNamingIt(String body) throws Exception {
        assertRefused(with("body", body), "body");
    }

    @Test
    void acceptsATitleOfOneCharacter() throws Exception {
        accepted(with("title", "T"));
    }

    @Test
    void acceptsATitleOfTwoHundredCharacters() throws Exception {
        accepted(with("title", "T".repeat(200)));
    }

    @Test
    void refusesATitleOfTwoHundredAndOneCharactersNamingTitle() throws Exception {
        assertRefused(with("title", "T".repeat(201)), "title");
    }

    @ParameterizedTest
    @ValueSource(strings = { "", " ", "   \t " })
    void refusesABlankTitleNamingTitle(String title) throws Exception {
        assertRefused(with("title", title), "title");
    }

    @Test
    void refusesAMissingTitleNamingTitle() throws Exception {
        assertRefused(without("title"), "title");
    }

    @Test
    void acceptsABodyOfOneCharacter() throws Exception {
        accepted(with("body", "B"));
    }

    @Test
    void acceptsABodyOfFourThousandCharacters() throws Exception {
        accepted(with("body", "B".repeat(4000)));
    }

    @Test
    void refusesABodyOfFourThousandAndOneCharactersNamingBody() throws Exception {
        assertRefused(with("body", "B".repeat(4001)), "body");
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "  " })
    void refusesABlankBodyNamingBody(String body) throws Exception {
        assertRefused(with("body", body), "body");
    }

    @Test
    void refusesAMissingBodyFieldNamingBody() throws Exception {
        assertRefused(without("body"), "body");
    }

    @Test
    void acceptsANotificationWithoutCategory() throws Exception {
        accepted(valid());
    }

    @ParameterizedTest
    @ValueSource(strings = { "A", "ASSIGNMENT", "WORK_ORDER_2", "0123456789_ABCDEFGHIJKLMNOPQRSTUVWXYZ_AB" })
    void acceptsACategoryOfUpToFortyUppercaseLettersDigitsAndUnderscores(String category) throws Exception {
        assertThat(category.length()).isLessThanOrEqualTo(40);
        accepted(with("category", category));
    }

    @Test
    void refusesACategoryOfFortyOneCharactersNamingCategory() throws Exception {
        assertRefused(with("category", "C".repeat(41)), "category");
    }

    @ParameterizedTest
    @ValueSource(strings = { "assignment", "Assignment", "WORK-ORDER", "WORK ORDER", "" })
    void refusesACategoryOutsideTheAllowedCharactersNamingCategory(String category) throws Exception {
        assertRefused(with("category", category), "category");
    }

    @ParameterizedTest
    @ValueSource(strings = { "NORMAL", "HIGH" })
    void acceptsTheDocumentedPriorities(String priority) throws Exception {
        accepted(with("priority", priority));
    }

    @ParameterizedTest
    @ValueSource(strings = { "URGENT", "high", "LOW" })
    void refusesAnUnknownPriorityNamingPriority(String priority) throws Exception {
        JsonNode problem = refused(with("priority", priority));

        assertThat(problem.get("detail").asText()).contains("priority");
    }

    @Test
    void acceptsThirtyTwoDataEntries() throws Exception {
        accepted(with("data", data(32)));
    }

    @Test
    void refusesThirtyThreeDataEntriesNamingData() throws Exception {
        assertRefused(with("data", data(33)), "data");
    }

    @Test
    void acceptsADataKeyOfSixtyFourCharactersAndAValueOfOneThousandTwentyFourCharacters() throws Exception {
        accepted(with("data", Map.of("k".repeat(64), "v".repeat(1024))));
    }

    @Test
    void refusesADataKeyOfSixtyFiveCharactersNamingData() throws Exception {
        String key = "k".repeat(65);
        assertRefused(with("data", Map.of(key, "v")), "data[" + key + "]");
    }

    @Test
    void refusesADataValueOfOneThousandTwentyFiveCharactersNamingIt() throws Exception {
        assertRefused(with("data", Map.of("recordId", "v".repeat(1025))), "data[recordId]");
    }

    @Test
    void refusesANullDataValueNamingIt() throws Exception {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("recordId", null);
        assertRefused(with("data", data), "data[recordId]");
    }

    @Test
    void refusesANestedObjectAsADataValueNamingTheField() throws Exception {
        JsonNode problem = refused(with("data", Map.of("record", Map.of("id", "1042"))));

        assertThat(problem.get("detail").asText()).contains("data.record");
    }

    @ParameterizedTest
    @ValueSource(strings = { "PT1M", "PT24H", "P7D" })
    void acceptsATimeToLiveFromOneMinuteToSevenDays(String ttl) throws Exception {
        JsonNode accepted = acceptedAnswer(this.json.writeValueAsString(with("ttl", ttl)));

        Instant createdAt = Instant.parse(accepted.get("createdAt").asText());
        Instant expiresAt = Instant.parse(accepted.get("expiresAt").asText());
        assertThat(Duration.between(createdAt, expiresAt)).isEqualTo(Duration.parse(ttl));
    }

    @ParameterizedTest
    @ValueSource(strings = { "PT59S", "P8D", "PT0S", "-PT1H" })
    void refusesATimeToLiveOutsideOneMinuteToSevenDaysNamingTtl(String ttl) throws Exception {
        assertRefused(with("ttl", ttl), "ttl");
    }

    @ParameterizedTest
    @ValueSource(strings = { "banana", "24h", "P1W2" })
    void refusesATimeToLiveThatIsNotADurationNamingTtl(String ttl) throws Exception {
        JsonNode problem = refused(with("ttl", ttl));

        assertThat(problem.get("detail").asText()).contains("ttl");
    }

    @Test
    void refusesAnUnknownFieldNamingIt() throws Exception {
        JsonNode problem = refused(with("sound", "chime"));

        assertThat(problem.get("detail").asText()).contains("sound");
    }

    @ParameterizedTest
    @ValueSource(strings = { "priority", "ttl", "data", "sound" })
    void listsTheFieldInErrorsWhenItsValueCannotBeRead(String field) throws Exception {
        Object value = switch (field) {
            case "priority" -> "URGENT";
            case "ttl" -> "banana";
            case "data" -> Map.of("record", Map.of("id", "1042"));
            default -> "chime";
        };

        JsonNode problem = refused(with(field, value));

        assertThat(problem.path("errors").isArray()).as("errors array in %s", problem).isTrue();
        assertThat(problem.path("errors")).as("errors in %s", problem).anySatisfy((error) -> {
            assertThat(error.path("field").asText()).startsWith(field);
            assertThat(error.path("message").asText()).isNotBlank();
        });
    }

    @ParameterizedTest
    @ValueSource(strings = { "{\"recipients\": [\"WILSON\"], \"title\": \"t\", \"body\": ",
            "{\"recipients\": [\"WILSON\"] \"title\": \"t\"}", "{recipients: [\"WILSON\"]}", "not json" })
    void refusesMalformedJson(String body) throws Exception {
        refused(body);
    }

    @Test
    void refusesAMissingRequestBody() throws Exception {
        MvcResult result = this.mvc
            .perform(post("/api/v1/notifications").header("Authorization", "Bearer " + SENDER_TOKEN)
                .contentType(MediaType.APPLICATION_JSON))
            .andReturn();

        assertProblem(result, 400);
        assertNothingStored();
    }

    @ParameterizedTest
    @ValueSource(strings = { "[" + MINIMAL + "]", "[]", "\"text\"", "42", "null" })
    void refusesABodyThatIsNotAJsonObject(String body) throws Exception {
        refused(body);
    }

    private Map<String, Object> valid() {
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("recipients", List.of("WILSON"));
        request.put("title", "Work order 1042 assigned");
        request.put("body", "Pump P-100 leaks");
        return request;
    }

    private Map<String, Object> with(String field, Object value) {
        Map<String, Object> request = valid();
        request.put(field, value);
        return request;
    }

    private Map<String, Object> without(String field) {
        Map<String, Object> request = valid();
        request.remove(field);
        return request;
    }

    private static List<String> recipients(int count, int length) {
        List<String> recipients = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String number = String.format("%05d", i);
            recipients.add("U" + "X".repeat(length - 1 - number.length()) + number);
        }
        return recipients;
    }

    private static Map<String, String> data(int entries) {
        Map<String, String> data = new LinkedHashMap<>();
        for (int i = 0; i < entries; i++) {
            data.put("key" + i, "value" + i);
        }
        return data;
    }

    private UUID accepted(Map<String, Object> request) throws Exception {
        return accepted(this.json.writeValueAsString(request));
    }

    private UUID accepted(String body) throws Exception {
        return UUID.fromString(acceptedAnswer(body).get("id").asText());
    }

    private JsonNode acceptedAnswer(String body) throws Exception {
        MvcResult result = this.mvc.perform(sending(post("/api/v1/notifications"), body)).andReturn();
        assertThat(result.getResponse().getStatus()).as(result.getResponse().getContentAsString()).isEqualTo(202);
        return this.json.readTree(result.getResponse().getContentAsString());
    }

    private void assertRefused(Map<String, Object> request, String field) throws Exception {
        JsonNode problem = refused(request);
        assertNamesField(problem, field);
        assertThat(problem.get("detail").asText()).contains(field);
    }

    private JsonNode refused(Map<String, Object> request) throws Exception {
        return refused(this.json.writeValueAsString(request));
    }

    private JsonNode refused(String body) throws Exception {
        MvcResult result = this.mvc.perform(sending(post("/api/v1/notifications"), body)).andReturn();
        JsonNode problem = assertProblem(result, 400);
        assertNothingStored();
        return problem;
    }

    private void assertNothingStored() {
        assertThat(this.jdbc.sql("select count(*) from notification").query(Long.class).single()).isZero();
    }

}
