package io.maspush.gateway.support;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MvcResult;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks that an answer is an RFC 9457 problem detail that gives nothing of the gateway's
 * internals away.
 */
public final class ProblemAssertions {

    private static final ObjectMapper json = new ObjectMapper();

    private ProblemAssertions() {
    }

    /**
     * Assert that the answer is a problem detail with the given status.
     * @param result the answer
     * @param status the expected HTTP status
     * @return the problem detail
     */
    public static JsonNode assertProblem(MvcResult result, int status) throws Exception {
        MockHttpServletResponse response = result.getResponse();
        String body = response.getContentAsString();
        assertThat(response.getStatus()).as("HTTP status of %s", body).isEqualTo(status);
        assertThat(response.getContentType()).as("content type").isNotNull();
        assertThat(MediaType.parseMediaType(response.getContentType())
            .isCompatibleWith(MediaType.APPLICATION_PROBLEM_JSON)).as("content type %s", response.getContentType())
            .isTrue();
        assertThat(body).doesNotContain("Exception", "at io.", "at org.", "SQL");
        JsonNode problem = json.readTree(body);
        assertThat(problem.path("type").isTextual()).as("type in %s", body).isTrue();
        assertThat(problem.path("type").asText()).isNotBlank();
        assertThat(problem.path("title").isTextual()).as("title in %s", body).isTrue();
        assertThat(problem.path("title").asText()).isNotBlank();
        assertThat(problem.path("status").isInt()).as("status in %s", body).isTrue();
        assertThat(problem.path("status").asInt()).isEqualTo(status);
        assertThat(problem.path("detail").isTextual()).as("detail in %s", body).isTrue();
        assertThat(problem.path("detail").asText()).isNotBlank();
        return problem;
    }

    /**
     * Assert that a problem detail lists field errors, each with a field and a message,
     * and that one of them names the given field.
     * @param problem the problem detail
     * @param field the field that must be named, such as {@code title} or
     * {@code recipients[0]}
     */
    public static void assertNamesField(JsonNode problem, String field) {
        JsonNode errors = problem.path("errors");
        assertThat(errors.isArray()).as("errors array in %s", problem).isTrue();
        assertThat(errors).as("errors in %s", problem).isNotEmpty();
        List<String> fields = new ArrayList<>();
        for (JsonNode error : errors) {
            assertThat(error.path("field").isTextual()).as("field of %s", error).isTrue();
            assertThat(error.path("message").isTextual()).as("message of %s", error).isTrue();
            assertThat(error.path("message").asText()).isNotBlank();
            fields.add(error.path("field").asText());
        }
        assertThat(fields).as("fields named in %s", problem).contains(field);
    }

}
