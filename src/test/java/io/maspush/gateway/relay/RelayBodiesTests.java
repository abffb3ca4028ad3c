package io.maspush.gateway.relay;

import java.nio.charset.StandardCharsets;

import io.maspush.gateway.push.RelayedBody;
import io.maspush.gateway.secret.Secret;
import org.junit.jupiter.api.Test;

import org.springframework.web.ErrorResponseException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The relayed body is the caller's, character for character, except that the caller's key
 * is replaced by the environment's; the stored form holds neither key.
 */
class RelayBodiesTests {

    private static final Secret CALLER = Secret.ofNullable("caller-token-ABC123+/=");

    private static final Secret REAL = Secret.ofNullable("real-api-key-XYZ789");

    @Test
    void replacesTheCallerKeyAndKeepsEveryOtherCharacter() {
        String body = "{ \"apiKey\" :\"caller-token-ABC123+/=\",\n\t\"users\":[\"WILSON\" , \"ÅSA-Ø\"],"
                + "\"message\":\"Pump \\\"P-100\\\" \\u00e9 leaks\",\"n\":1.50e+3, \"ok\":true ,\"none\":null }";

        RelayedBody relayed = prepare(body, CALLER, null);

        assertThat(relayed.template()).doesNotContain(CALLER.reveal()).doesNotContain(REAL.reveal());
        assertThat(relayed.render(REAL)).isEqualTo(body.replace(CALLER.reveal(), REAL.reveal()));
    }

    @Test
    void replacesTheKeyInsideLongerStringsAndWhereverItAppears() {
        String body = """
                {"auth": "Bearer caller-token-ABC123+/=", "copies": ["caller-token-ABC123+/=", 7], \
                "nested": {"key": "caller-token-ABC123+/=caller-token-ABC123+/="}}""";

        String sent = prepare(body, CALLER, null).render(REAL);

        assertThat(sent).isEqualTo(body.replace(CALLER.reveal(), REAL.reveal()));
    }

    @Test
    void replacesAKeyTheCallerWroteWithJsonEscapes() {
        String body = "{\"apiKey\": \"\\u0063aller-token-ABC123+\\/=\", \"users\": [\"WILSON\"]}";

        String sent = prepare(body, CALLER, null).render(REAL);

        assertThat(sent).isEqualTo("{\"apiKey\": \"real-api-key-XYZ789\", \"users\": [\"WILSON\"]}");
    }

    @Test
    void escapesARealKeyThatNeedsItInsideAJsonString() {
        Secret awkward = Secret.ofNullable("key\"with\\quote");

        String sent = prepare("{\"apiKey\":\"caller-token-ABC123+/=\"}", CALLER, null).render(awkward);

        assertThat(sent).isEqualTo("{\"apiKey\":\"key\\\"with\\\\quote\"}");
    }

    @Test
    void leavesABodyWithoutTheKeyUntouched() {
        String body = "{\"users\":[\"WILSON\"],\"message\":\"caller-token\"}";

        RelayedBody relayed = prepare(body, CALLER, null);

        assertThat(relayed.keyOffsets()).isEmpty();
        assertThat(relayed.render(REAL)).isEqualTo(body);
    }

    @Test
    void neverTouchesTheKeyOutsideStrings() {
        Secret numeric = Secret.ofNullable("12345");
        String body = "{\"count\": 12345, \"text\": \"12345\"}";

        assertThat(prepare(body, numeric, null).render(REAL))
            .isEqualTo("{\"count\": 12345, \"text\": \"real-api-key-XYZ789\"}");
    }

    @Test
    void addsTheBundleIdentifierOnlyToAnObjectWithoutOne() {
        assertThat(prepare("{\"users\": [\"WILSON\"]}", null, "com.ibm.iot.maximo.mobile").render(REAL))
            .isEqualTo("{\"bundleId\":\"com.ibm.iot.maximo.mobile\",\"users\": [\"WILSON\"]}");
        assertThat(prepare(" { } ", null, "com.ibm.iot.maximo.mobile").render(REAL))
            .isEqualTo(" {\"bundleId\":\"com.ibm.iot.maximo.mobile\" } ");
        assertThat(prepare("{\"bundleId\": \"com.example.custom\"}", null, "com.ibm.iot.maximo.mobile").render(REAL))
            .isEqualTo("{\"bundleId\": \"com.example.custom\"}");
        assertThat(prepare("{\"inner\": {\"bundleId\": \"x\"}}", null, "b").render(REAL))
            .isEqualTo("{\"bundleId\":\"b\",\"inner\": {\"bundleId\": \"x\"}}");
        assertThat(prepare("[1, 2]", null, "com.ibm.iot.maximo.mobile").render(REAL)).isEqualTo("[1, 2]");
    }

    @Test
    void addsTheBundleIdentifierAndReplacesTheKeyTogether() {
        String sent = prepare("{\"apiKey\":\"caller-token-ABC123+/=\"}", CALLER, "com.ibm.iot.maximo.mobile")
            .render(REAL);

        assertThat(sent).isEqualTo("{\"bundleId\":\"com.ibm.iot.maximo.mobile\",\"apiKey\":\"real-api-key-XYZ789\"}");
    }

    @Test
    void refusesWhatIsNotOneJsonValue() {
        assertRefused("", "The body is empty");
        assertRefused("   ", "holds no JSON value");
        assertRefused("{\"users\": [\"WILSON\"]", "not valid JSON");
        assertRefused("{\"a\": 1} {\"b\": 2}", "one JSON value and nothing after it");
        assertRefused("{\"a\": 1,}", "not valid JSON");
        assertRefused("{\"a\": ".repeat(20) + "1" + "}".repeat(20), "not valid JSON");
    }

    @Test
    void refusesBytesThatAreNotUtf8() {
        byte[] latin1 = "{\"message\": \"caf\u00e9\"}".getBytes(StandardCharsets.ISO_8859_1);

        assertThatExceptionOfType(ErrorResponseException.class)
            .isThrownBy(() -> RelayBodies.prepare(latin1, null, "bundleId", null))
            .satisfies((ex) -> assertThat(ex.getBody().getDetail()).contains("not UTF-8"));
    }

    private static RelayedBody prepare(String body, Secret callerKey, String bundleId) {
        return RelayBodies.prepare(body.getBytes(StandardCharsets.UTF_8), callerKey, "bundleId", bundleId);
    }

    private static void assertRefused(String body, String detail) {
        assertThatExceptionOfType(ErrorResponseException.class).isThrownBy(() -> prepare(body, CALLER, null))
            .satisfies((ex) -> {
                assertThat(ex.getStatusCode().value()).isEqualTo(400);
                assertThat(ex.getBody().getDetail()).contains(detail);
            });
    }

}
