package io.maspush.gateway.security;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.maspush.gateway.support.GatewayTestSupport;
import io.maspush.gateway.support.MultiEnvironmentTestSupport;
import jakarta.servlet.RequestDispatcher;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.context.NestedTestConfiguration;
import org.springframework.test.context.NestedTestConfiguration.EnclosingConfiguration;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.MockMvcRequestBuilders;

import static io.maspush.gateway.support.ProblemAssertions.assertNamesField;
import static io.maspush.gateway.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * One row per hostile or mistaken request: who may do what, and how the gateway answers
 * malformed, oversized and tricky input. Every refusal is a problem detail that gives
 * nothing away: no stack trace, no SQL, no token and no API key.
 * <p>
 * Not a row here: the bound on queued notifications (503 with {@code Retry-After}) needs
 * a context with a small {@code gateway.delivery.max-queued} and is covered by
 * {@code io.maspush.gateway.notification.QueueBoundTests}. Expired, wrongly signed and
 * foreign-issuer JWTs have their own class.
 */
class SecurityMatrixTests extends GatewayTestSupport {

    private static final String NOTIFICATIONS = "/api/v1/notifications";

    private static final String SQL_DROP = "'; drop table notification; --";

    private static final String SQL_OR = "\" OR 1=1 --";

    /** Everything that must never appear in an answer. */
    private static final List<String> SECRETS = List.of(SENDER_TOKEN, OTHER_SENDER_TOKEN, ADMIN_TOKEN, LIMITED_TOKEN,
            API_KEY, MultiEnvironmentTestSupport.TEST_SENDER, MultiEnvironmentTestSupport.TEST_ADMIN,
            MultiEnvironmentTestSupport.TEST_KEY, MultiEnvironmentTestSupport.PROD_FILE_KEY);

    private static final ObjectMapper plainJson = new ObjectMapper();

    static Stream<Arguments> rows() {
        return Stream.of(
                // Authentication
                row("missing token", Request.post(NOTIFICATIONS).json(MINIMAL)).expect(401)
                    .then(SecurityMatrixTests::asksForABearerToken),
                row("malformed Authorization 'Token abc'",
                        Request.post(NOTIFICATIONS).header("Authorization", "Token abc").json(MINIMAL))
                    .expect(401)
                    .then(SecurityMatrixTests::asksForABearerToken),
                row("malformed Authorization 'Bearer' alone",
                        Request.post(NOTIFICATIONS).header("Authorization", "Bearer").json(MINIMAL))
                    .expect(401)
                    .then(SecurityMatrixTests::asksForABearerToken),
                row("malformed Authorization 'Bearer ' with an empty token",
                        Request.post(NOTIFICATIONS).header("Authorization", "Bearer ").json(MINIMAL))
                    .expect(401),
                row("malformed Authorization 'Basic' credentials",
                        Request.post(NOTIFICATIONS).header("Authorization", "Basic c2VuZGVyOnNlY3JldA==").json(MINIMAL))
                    .expect(401),
                row("wrong token", Request.post(NOTIFICATIONS).as("wrong-token-" + SENDER_TOKEN).json(MINIMAL))
                    .expect(401)
                    .then(SecurityMatrixTests::asksForABearerToken),
                row("wrong token on GET", Request.get(NOTIFICATIONS + "/" + UUID.randomUUID()).as("not-a-token"))
                    .expect(401),
                // the token of a client configured elsewhere but not (any more) in this
                // gateway
                row("revoked client",
                        Request.post(NOTIFICATIONS).as(MultiEnvironmentTestSupport.TEST_SENDER).json(MINIMAL))
                    .expect(401)
                    .then(SecurityMatrixTests::asksForABearerToken),
                // Authorisation
                row("wrong role: ADMIN client sends a notification",
                        Request.post(NOTIFICATIONS).as(ADMIN_TOKEN).json(MINIMAL))
                    .expect(403)
                    .then(SecurityMatrixTests::nothingStored),
                row("wrong role: SEND client lists environments",
                        Request.get("/api/v1/admin/environments").as(SENDER_TOKEN))
                    .expect(403),
                row("wrong role: SEND client reads the push configuration",
                        Request.get("/api/v1/admin/environments/default/push-config").as(SENDER_TOKEN))
                    .expect(403),
                row("another client's notification",
                        Request.get(NOTIFICATIONS + "/{id}").as(OTHER_SENDER_TOKEN).given(SecurityMatrixTests::sent))
                    .expect(404)
                    .then(SecurityMatrixTests::doesNotShowTheNotification),
                // Abuse
                row("over the rate limit",
                        Request.post(NOTIFICATIONS)
                            .as(LIMITED_TOKEN)
                            .json(MINIMAL)
                            .given(SecurityMatrixTests::burstUsedUp))
                    .expect(429)
                    .then(SecurityMatrixTests::retryAfter),
                row("oversized body over 64 KiB", Request.post(NOTIFICATIONS).as(SENDER_TOKEN).json(oversized()))
                    .expect(413)
                    .then(detailContains("65536")),
                row("data nested 50 levels deep",
                        Request.post(NOTIFICATIONS).as(SENDER_TOKEN).json(withData(nestedObject(50))))
                    .expect(400)
                    .then(detailContains("Field 'data.a' has the wrong type: expected a string")),
                row("top-level array nested 100 levels deep",
                        Request.post(NOTIFICATIONS).as(SENDER_TOKEN).json("[".repeat(100) + "]".repeat(100)))
                    .expect(400)
                    .then(detailContains("not a JSON object")),
                // The typed reader refuses both at the first level it does not expect:
                // nothing deep is read, so the parser's limit of 16 levels is not
                // reached.
                row("a 1000-digit number",
                        Request.post(NOTIFICATIONS)
                            .as(SENDER_TOKEN)
                            .json(MINIMAL.strip().replace("}", ", \"ttl\": " + "9".repeat(1000) + "}")))
                    .expect(400)
                    .then(detailContains("32 digits")),
                row("ttl 1e999999",
                        Request.post(NOTIFICATIONS)
                            .as(SENDER_TOKEN)
                            .json(MINIMAL.strip().replace("}", ", \"ttl\": 1e999999}")))
                    .expect(400),
                row("invalid UTF-8 in a string", Request.post(NOTIFICATIONS)
                    .as(SENDER_TOKEN)
                    .json(bytes("{\"recipients\": [\"WILSON\"], \"title\": \"Pump ",
                            new byte[] { (byte) 0xC3, 0x28, (byte) 0xFF, (byte) 0xFE }, "\", \"body\": \"leaks\"}")))
                    .expect(400)
                    .then(SecurityMatrixTests::saysTheBodyIsNotValid)
                    .then(SecurityMatrixTests::nothingStored),
                row("invalid UTF-8 outside any string",
                        Request.post(NOTIFICATIONS)
                            .as(SENDER_TOKEN)
                            .json(bytes("{\"recipients\": [\"WILSON\"], ", new byte[] { (byte) 0xF8, (byte) 0x88 },
                                    "\"title\": \"Pump\", \"body\": \"leaks\"}")))
                    .expect(400)
                    .then(SecurityMatrixTests::saysTheBodyIsNotValid)
                    .then(SecurityMatrixTests::nothingStored),
                row("raw NUL byte inside the title",
                        Request.post(NOTIFICATIONS)
                            .as(SENDER_TOKEN)
                            .json(bytes("{\"recipients\": [\"WILSON\"], \"title\": \"Pump", new byte[] { 0 },
                                    "P-100\", \"body\": \"leaks\"}")))
                    .expect(400)
                    .then(SecurityMatrixTests::nothingStored),
                // A title is shown on a phone's lock screen, where a control character
                // has no place, and PostgreSQL cannot store NUL in a text column at all.
                row("escaped NUL character in the title", Request.post(NOTIFICATIONS)
                    .as(SENDER_TOKEN)
                    .json("{\"recipients\": [\"WILSON\"], \"title\": \"Pump\\u0000P-100\", \"body\": \"leaks\"}"))
                    .expect(400)
                    .then(SecurityMatrixTests::namesTheTitle),
                // Header injection
                row("Idempotency-Key with CR LF",
                        Request.post(NOTIFICATIONS)
                            .as(SENDER_TOKEN)
                            .header("Idempotency-Key", "order-1042\r\nX-Injected: yes")
                            .json(MINIMAL))
                    .expect(400)
                    .then(detailContains("Idempotency-Key"))
                    .then(SecurityMatrixTests::nothingStored)
                    .then(SecurityMatrixTests::noInjectedHeader),
                row("Idempotency-Key with a lone LF",
                        Request.post(NOTIFICATIONS)
                            .as(SENDER_TOKEN)
                            .header("Idempotency-Key", "order\n1042")
                            .json(MINIMAL))
                    .expect(400)
                    .then(SecurityMatrixTests::nothingStored),
                row("Idempotency-Key with NUL",
                        Request.post(NOTIFICATIONS)
                            .as(SENDER_TOKEN)
                            .header("Idempotency-Key", "order\u00001042")
                            .json(MINIMAL))
                    .expect(400)
                    .then(SecurityMatrixTests::nothingStored),
                row("Idempotency-Key with a bell character",
                        Request.post(NOTIFICATIONS)
                            .as(SENDER_TOKEN)
                            .header("Idempotency-Key", "order\u00071042")
                            .json(MINIMAL))
                    .expect(400)
                    .then(SecurityMatrixTests::nothingStored),
                // Path tricks
                row("id '..%2F..%2Fadmin'", Request.get(NOTIFICATIONS + "/..%2F..%2Fadmin").as(SENDER_TOKEN))
                    .expect(400, 404)
                    .then(SecurityMatrixTests::doesNotShowTheNotification),
                row("id '%00'", Request.get(NOTIFICATIONS + "/%00").as(SENDER_TOKEN)).expect(400, 404),
                row("id of 10 KB", Request.get(NOTIFICATIONS + "/" + "a".repeat(10 * 1024)).as(SENDER_TOKEN))
                    .expect(400, 404)
                    .then(SecurityMatrixTests::detailDoesNotEchoTheId),
                row("id '../admin/environments'",
                        Request.get(NOTIFICATIONS + "/../admin/environments").as(SENDER_TOKEN))
                    .expect(400, 404),
                row("id '../admin/environments' as the owner of a notification",
                        Request.get(NOTIFICATIONS + "/{id}/../../admin/environments")
                            .as(SENDER_TOKEN)
                            .given(SecurityMatrixTests::sent))
                    .expect(400, 404)
                    .then(SecurityMatrixTests::doesNotShowTheNotification),
                // SQL-looking text is just text
                row("SQL-looking text \"'; drop table\"",
                        Request.post(NOTIFICATIONS).as(SENDER_TOKEN).json(sqlLooking(SQL_DROP)))
                    .expect(202)
                    .then(storedVerbatim(SQL_DROP)),
                row("SQL-looking text '\" OR 1=1 --'",
                        Request.post(NOTIFICATIONS).as(SENDER_TOKEN).json(sqlLooking(SQL_OR)))
                    .expect(202)
                    .then(storedVerbatim(SQL_OR)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void answersEachRequestAsExpected(Row row) throws Exception {
        Given given = new Given();
        if (row.request().given() != null) {
            row.request().given().prepare(this, given);
        }

        MvcResult result = perform(this.mvc, row.request(), given);

        inRow(row, () -> {
            assertAnswer(row, result);
            JsonNode answer = readAnswer(result);
            for (Then check : row.checks()) {
                check.verify(this, result, answer, given);
            }
        });
    }

    /**
     * Rows that need more than one push environment: an administrator bound to
     * {@code test} reaching into {@code prod}.
     */
    @Nested
    @NestedTestConfiguration(EnclosingConfiguration.OVERRIDE)
    class AcrossEnvironments extends MultiEnvironmentTestSupport {

        static Stream<Arguments> rows() {
            String prod = "/api/v1/admin/environments/prod";
            return Stream.of(
                    row("another environment: test admin reads prod's push-config",
                            Request.get(prod + "/push-config").as(TEST_ADMIN))
                        .expect(403)
                        .then(typeIs("other-environment")),
                    row("another environment: test admin changes prod's push-config",
                            Request.put(prod + "/push-config")
                                .as(TEST_ADMIN)
                                .json("{\"bundleId\": \"com.example.app\"}"))
                        .expect(403)
                        .then(typeIs("other-environment")),
                    row("another environment: test admin reads prod's history",
                            Request.get(prod + "/push-config/history").as(TEST_ADMIN))
                        .expect(403)
                        .then(typeIs("other-environment")),
                    row("another environment: test sender reads test's push-config",
                            Request.get("/api/v1/admin/environments/test/push-config").as(TEST_SENDER))
                        .expect(403));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("rows")
        void answersEachRequestAsExpected(Row row) throws Exception {
            Given given = new Given();
            MvcResult result = perform(this.mvc, row.request(), given);

            inRow(row, () -> {
                assertAnswer(row, result);
                JsonNode answer = readAnswer(result);
                for (Then check : row.checks()) {
                    check.verify(null, result, answer, given);
                }
                assertThat(pushConfig("prod").path("bundleId").asText()).isNotEqualTo("com.example.app");
            });
        }

    }

    private static MvcResult perform(MockMvc mvc, Request request, Given given) throws Exception {
        String path = (given.subject != null) ? request.path().replace("{id}", given.subject.toString())
                : request.path();
        MockHttpServletRequestBuilder builder = MockMvcRequestBuilders.request(request.method(), URI.create(path));
        for (String[] header : request.headers()) {
            builder.header(header[0], header[1]);
        }
        if (request.body() != null) {
            builder.contentType(MediaType.APPLICATION_JSON).content(request.body());
        }
        MvcResult result = mvc.perform(builder).andReturn();
        MockHttpServletResponse response = result.getResponse();
        if (response.getStatus() >= 400 && response.isCommitted() && response.getContentType() == null
                && response.getContentAsByteArray().length == 0) {
            // The answer was left to the servlet container's error page
            // (response.sendError), which MockMvc does not render: forward to /error as
            // the container does.
            return mvc
                .perform(MockMvcRequestBuilders.request(request.method(), URI.create("/error"))
                    .requestAttr(RequestDispatcher.ERROR_STATUS_CODE, response.getStatus())
                    .requestAttr(RequestDispatcher.ERROR_REQUEST_URI, path)
                    .requestAttr(RequestDispatcher.ERROR_MESSAGE, String.valueOf(response.getErrorMessage())))
                .andReturn();
        }
        return result;
    }

    private static void inRow(Row row, Checks checks) throws Exception {
        try {
            checks.run();
        }
        catch (AssertionError ex) {
            throw new AssertionError("Row '" + row.name() + "': " + ex.getMessage(), ex);
        }
    }

    private static void assertAnswer(Row row, MvcResult result) throws Exception {
        MockHttpServletResponse response = result.getResponse();
        String body = response.getContentAsString(StandardCharsets.UTF_8);
        assertThat(row.statuses()).as("HTTP status, answered with %s", body).contains(response.getStatus());
        assertThat(body).doesNotContain("at io.", "at org.", "at java.", "Exception");
        for (String secret : SECRETS) {
            assertThat(body).as("answer echoes a token or key").doesNotContain(secret);
        }
        for (String header : response.getHeaderNames()) {
            for (String value : response.getHeaders(header)) {
                for (String secret : SECRETS) {
                    assertThat(value).as("header %s echoes a token or key", header).doesNotContain(secret);
                }
            }
        }
        if (response.getStatus() >= 300) {
            assertProblem(result, response.getStatus());
            String lowerCase = body.toLowerCase(Locale.ROOT);
            assertThat(lowerCase).as("SQL text in %s", body)
                .doesNotContain("select ", "insert into", "update notification", "delete from", "jdbc", "h2 ");
        }
    }

    private static JsonNode readAnswer(MvcResult result) throws Exception {
        String body = result.getResponse().getContentAsString(StandardCharsets.UTF_8);
        return body.isEmpty() ? plainJson.nullNode() : plainJson.readTree(body);
    }

    // Setups

    private static void sent(SecurityMatrixTests test, Given given) throws Exception {
        given.subject = test.send(MINIMAL);
    }

    private static void burstUsedUp(SecurityMatrixTests test, Given given) throws Exception {
        // The bucket of 'limited' (burst 2, 1 a second) may have been drawn on by another
        // test of this context: let it fill up, then use the burst, so that the row's
        // request is the third in a row.
        Thread.sleep(2100);
        for (int i = 0; i < 2; i++) {
            MvcResult result = test.mvc
                .perform(MockMvcRequestBuilders.post(NOTIFICATIONS)
                    .header("Authorization", "Bearer " + LIMITED_TOKEN)
                    .contentType(MediaType.APPLICATION_JSON)
                    .content(MINIMAL))
                .andReturn();
            assertThat(result.getResponse().getStatus()).as("request %d of the burst", i + 1).isEqualTo(202);
        }
    }

    // Checks

    private static void asksForABearerToken(SecurityMatrixTests test, MvcResult result, JsonNode answer, Given given) {
        assertThat(result.getResponse().getHeader("WWW-Authenticate")).isEqualTo("Bearer");
    }

    private static void retryAfter(SecurityMatrixTests test, MvcResult result, JsonNode answer, Given given) {
        String retryAfter = result.getResponse().getHeader("Retry-After");
        assertThat(retryAfter).isNotNull().matches("[1-9][0-9]*");
        assertThat(answer.path("type").asText()).endsWith("rate-limited");
    }

    private static void nothingStored(SecurityMatrixTests test, MvcResult result, JsonNode answer, Given given) {
        assertThat(test.jdbc.sql("select count(*) from notification").query(Long.class).single()).isZero();
    }

    private static void namesTheTitle(SecurityMatrixTests test, MvcResult result, JsonNode answer, Given given) {
        assertNamesField(answer, "title");
        nothingStored(test, result, answer, given);
    }

    private static void noInjectedHeader(SecurityMatrixTests test, MvcResult result, JsonNode answer, Given given)
            throws Exception {
        assertThat(result.getResponse().getHeaderNames()).doesNotContain("X-Injected");
        assertThat(result.getResponse().getContentAsString()).doesNotContain("\r\n");
    }

    private static void doesNotShowTheNotification(SecurityMatrixTests test, MvcResult result, JsonNode answer,
            Given given) throws Exception {
        assertThat(answer.has("recipients")).as("notification fields in %s", answer).isFalse();
        assertThat(answer.has("status") && answer.path("status").isTextual()).isFalse();
        assertThat(result.getResponse().getContentAsString()).doesNotContain("WILSON");
    }

    private static void detailDoesNotEchoTheId(SecurityMatrixTests test, MvcResult result, JsonNode answer,
            Given given) {
        assertThat(answer.path("detail").asText()).hasSizeLessThan(200);
    }

    private static void saysTheBodyIsNotValid(SecurityMatrixTests test, MvcResult result, JsonNode answer, Given given)
            throws Exception {
        // not a hint that has nothing to do with the mistake, such as how to write a
        // duration
        assertThat(result.getResponse().getContentAsString()).doesNotContainIgnoringCase("duration");
    }

    private static Then detailContains(String text) {
        return (test, result, answer, given) -> assertThat(answer.path("detail").asText()).contains(text);
    }

    private static Then typeIs(String type) {
        return (test, result, answer, given) -> assertThat(answer.path("type").asText())
            .isEqualTo("urn:mas-push-gateway:problem:" + type);
    }

    private static Then storedVerbatim(String text) {
        return (test, result, answer, given) -> {
            UUID id = UUID.fromString(answer.path("id").asText());
            JsonNode shown = test.status(id);
            assertThat(shown.path("id").asText()).isEqualTo(id.toString());
            assertThat(shown.path("recipients")).hasSize(2);
            assertThat(shown.path("recipients").get(1).asText()).isEqualTo(text);
            Map<String, Object> row = test.jdbc
                .sql("select title, body, recipients, data from notification where id = ?")
                .param(id)
                .query()
                .singleRow();
            assertThat(row.get("TITLE")).isEqualTo("Work order " + text);
            assertThat(row.get("BODY")).isEqualTo(text);
            assertThat(plainJson.readValue((String) row.get("RECIPIENTS"), new TypeReference<List<String>>() {
            })).containsExactly("WILSON", text);
            assertThat(plainJson.readValue((String) row.get("DATA"), new TypeReference<Map<String, String>>() {
            })).containsEntry("note", text).containsEntry(text, "key");
            assertThat(test.jdbc.sql("select count(*) from notification").query(Long.class).single()).isOne();
        };
    }

    // Bodies

    private static String oversized() {
        return "{\"recipients\": [\"WILSON\"], \"title\": \"Pump\", \"body\": \"" + "x".repeat(64 * 1024) + "\"}";
    }

    private static String nestedObject(int levels) {
        return "{\"a\": ".repeat(levels - 1) + "\"deep\"" + "}".repeat(levels - 1);
    }

    private static String withData(String data) {
        return "{\"recipients\": [\"WILSON\"], \"title\": \"Pump\", \"body\": \"leaks\", \"data\": " + data + "}";
    }

    private static String sqlLooking(String text) {
        Map<String, Object> body = Map.of("recipients", List.of("WILSON", text), "title", "Work order " + text, "body",
                text, "data", Map.of("note", text, text, "key"));
        try {
            return plainJson.writeValueAsString(body);
        }
        catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static byte[] bytes(String before, byte[] middle, String after) {
        byte[] head = before.getBytes(StandardCharsets.UTF_8);
        byte[] tail = after.getBytes(StandardCharsets.UTF_8);
        byte[] all = new byte[head.length + middle.length + tail.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(middle, 0, all, head.length, middle.length);
        System.arraycopy(tail, 0, all, head.length + middle.length, tail.length);
        return all;
    }

    // The rows

    private static RowBuilder row(String name, Request request) {
        return new RowBuilder(name, request);
    }

    /**
     * A request of a row.
     *
     * @param method the method
     * @param path the path, sent as is; {@code {id}} stands for the notification of the
     * setup
     * @param headers the headers
     * @param body the body, sent as JSON, or {@code null}
     * @param given what must happen first
     */
    record Request(HttpMethod method, String path, List<String[]> headers, byte[] body, Given.Setup given) {

        static Request get(String path) {
            return new Request(HttpMethod.GET, path, List.of(), null, null);
        }

        static Request post(String path) {
            return new Request(HttpMethod.POST, path, List.of(), null, null);
        }

        static Request put(String path) {
            return new Request(HttpMethod.PUT, path, List.of(), null, null);
        }

        Request as(String token) {
            return header("Authorization", "Bearer " + token);
        }

        Request header(String name, String value) {
            List<String[]> all = new ArrayList<>(this.headers);
            all.add(new String[] { name, value });
            return new Request(this.method, this.path, all, this.body, this.given);
        }

        Request json(String json) {
            return json(json.getBytes(StandardCharsets.UTF_8));
        }

        Request json(byte[] json) {
            return new Request(this.method, this.path, this.headers, json, this.given);
        }

        Request given(Given.Setup setup) {
            return new Request(this.method, this.path, this.headers, this.body, setup);
        }

    }

    /**
     * One case: the request, the statuses that are right for it and what else must hold.
     *
     * @param name what the case is about
     * @param request the request
     * @param statuses the acceptable statuses
     * @param checks further checks of the answer
     */
    record Row(String name, Request request, Set<Integer> statuses, List<Then> checks) {

    }

    static final class RowBuilder implements Arguments {

        private final String name;

        private final Request request;

        private Set<Integer> statuses = Set.of();

        private final List<Then> checks = new ArrayList<>();

        RowBuilder(String name, Request request) {
            this.name = name;
            this.request = request;
        }

        RowBuilder expect(Integer... statuses) {
            this.statuses = Set.of(statuses);
            return this;
        }

        RowBuilder then(Then check) {
            this.checks.add(check);
            return this;
        }

        @Override
        public Object[] get() {
            return new Object[] {
                    Named.of(this.name, new Row(this.name, this.request, this.statuses, List.copyOf(this.checks))) };
        }

    }

    /**
     * What a row's setup leaves for its request and checks.
     */
    static final class Given {

        UUID subject;

        @FunctionalInterface
        interface Setup {

            void prepare(SecurityMatrixTests test, Given given) throws Exception;

        }

    }

    @FunctionalInterface
    interface Checks {

        void run() throws Exception;

    }

    @FunctionalInterface
    interface Then {

        void verify(SecurityMatrixTests test, MvcResult result, JsonNode answer, Given given) throws Exception;

    }

}
