package io.maspush.gateway.notification;

import java.nio.charset.StandardCharsets;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.maspush.gateway.support.GatewayTestSupport;

import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MvcResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/**
 * Whatever body a sender posts, the gateway answers without an internal error and without
 * a stack trace: either it accepts the notification or it refuses it as a problem detail.
 * <p>
 * Every build runs the seed corpus in
 * {@code src/test/resources/io/maspush/gateway/notification/NotificationFuzzTestsInputs/postsAnyBody/}
 * as a regression test. To fuzz for real, for as long as {@code maxDuration} allows:
 * <pre>
 * JAZZER_FUZZ=1 ./mvnw test -Dtest=NotificationFuzzTests
 * </pre> A crashing input is saved to the inputs directory above, so that it runs in
 * every build from then on. The last byte of an input chooses its shape: an even byte
 * posts the bytes before it as they are, an odd byte builds a JSON object from them.
 */
class NotificationFuzzTests extends GatewayTestSupport {

    private static final String[] FIELDS = { "recipients", "title", "body", "category", "priority", "data", "ttl" };

    private static final ObjectMapper plainJson = new ObjectMapper();

    @FuzzTest(maxDuration = "5m")
    void postsAnyBody(FuzzedDataProvider data) throws Exception {
        boolean structured = data.consumeBoolean();
        byte[] body = structured ? plainJson.writeValueAsBytes(object(data, 0)) : data.consumeRemainingAsBytes();

        MvcResult result = this.mvc
            .perform(post("/api/v1/notifications").header("Authorization", "Bearer " + SENDER_TOKEN)
                .contentType(MediaType.APPLICATION_JSON)
                .content(body))
            .andReturn();

        MockHttpServletResponse response = result.getResponse();
        String answer = response.getContentAsString(StandardCharsets.UTF_8);
        assertThat(response.getStatus()).as("answer to %s: %s", new String(body, StandardCharsets.UTF_8), answer)
            .isLessThan(500);
        assertThat(answer).doesNotContain("Exception", "at io.", "at org.", "at java.", SENDER_TOKEN, API_KEY);
        if (response.getStatus() == 202) {
            assertThat(plainJson.readTree(answer).path("status").asText()).isEqualTo("QUEUED");
        }
        else {
            assertThat(response.getStatus()).isBetween(400, 499);
            assertThat(response.getContentType()).startsWith(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
            JsonNode problem = plainJson.readTree(answer);
            assertThat(problem.path("status").asInt()).isEqualTo(response.getStatus());
            assertThat(problem.path("detail").asText()).isNotBlank();
        }
    }

    /**
     * A notification-like object: mostly the real fields, so that bodies get past the
     * JSON reader into validation, sometimes an unknown field.
     */
    private static ObjectNode object(FuzzedDataProvider data, int depth) {
        ObjectNode object = JsonNodeFactory.instance.objectNode();
        int fields = data.consumeInt(0, FIELDS.length + 1);
        for (int i = 0; i < fields && data.remainingBytes() > 0; i++) {
            String name = data.consumeBoolean() ? data.pickValue(FIELDS) : data.consumeString(20);
            object.set(name, value(data, name, depth + 1));
        }
        return object;
    }

    private static JsonNode value(FuzzedDataProvider data, String field, int depth) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        int kind = data.consumeInt(0, (depth < 20) ? 9 : 6);
        return switch (kind) {
            case 0 -> nodes.nullNode();
            case 1 -> nodes.booleanNode(data.consumeBoolean());
            case 2 -> nodes.numberNode(data.consumeLong());
            case 3 -> nodes.numberNode(data.consumeDouble());
            case 4 -> nodes.textNode(data.consumeString(300));
            case 5 -> nodes.textNode(plausible(data, field));
            case 6 -> {
                ArrayNode array = nodes.arrayNode();
                int size = data.consumeInt(0, 5);
                for (int i = 0; i < size && data.remainingBytes() > 0; i++) {
                    array.add(data.consumeBoolean() ? nodes.textNode(data.consumeString(120))
                            : value(data, field, depth + 1));
                }
                yield array;
            }
            case 7 -> {
                ObjectNode map = nodes.objectNode();
                int size = data.consumeInt(0, 5);
                for (int i = 0; i < size && data.remainingBytes() > 0; i++) {
                    map.set(data.consumeString(70), data.consumeBoolean() ? nodes.textNode(data.consumeString(1100))
                            : value(data, field, depth + 1));
                }
                yield map;
            }
            default -> object(data, depth);
        };
    }

    /** A value of the right type for a field, which validation has to judge. */
    private static String plausible(FuzzedDataProvider data, String field) {
        return switch (field) {
            case "priority" -> data.pickValue(new String[] { "NORMAL", "HIGH", "normal", "" });
            case "ttl" -> "PT" + data.consumeInt(-10, 100_000) + data.pickValue(new String[] { "S", "M", "H" });
            case "category" -> data.consumeAsciiString(45);
            default -> data.consumeString(5000);
        };
    }

}
