package io.maspush.gateway.web;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.JsonNode;
import io.maspush.gateway.support.GatewayTestSupport;
import jakarta.servlet.ServletContext;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.request.AbstractMockHttpServletRequestBuilder;

import static io.maspush.gateway.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/**
 * Errors that the web layer raises before a notification is looked at are answered as
 * problem details too, and none of them gives internals away.
 */
class ProblemResponseTests extends GatewayTestSupport {

    private static final int LIMIT = 64 * 1024;

    @Test
    void refusesAnotherMediaTypeWithUnsupportedMediaType() throws Exception {
        MvcResult result = this.mvc
            .perform(post("/api/v1/notifications").header("Authorization", "Bearer " + SENDER_TOKEN)
                .contentType(MediaType.TEXT_PLAIN)
                .content(MINIMAL))
            .andReturn();

        assertProblem(result, 415);
        assertNothingStored();
    }

    @Test
    void acceptsABodyOfExactlySixtyFourKibibytes() throws Exception {
        byte[] body = bodyOfSize(LIMIT);

        MvcResult result = this.mvc.perform(sending(post("/api/v1/notifications"), "").content(body)).andReturn();

        assertThat(result.getResponse().getStatus()).as(result.getResponse().getContentAsString()).isEqualTo(202);
    }

    @Test
    void refusesABodyOverSixtyFourKibibytesByItsContentLength() throws Exception {
        byte[] body = bodyOfSize(LIMIT + 1);

        MvcResult result = this.mvc.perform(sending(post("/api/v1/notifications"), "").content(body)).andReturn();

        JsonNode problem = assertProblem(result, 413);
        assertThat(problem.get("detail").asText()).contains(String.valueOf(LIMIT));
        assertNothingStored();
    }

    @Test
    void refusesAChunkedBodyOverSixtyFourKibibytesWhileReadingIt() throws Exception {
        byte[] body = bodyOfSize(LIMIT + 1);

        MvcResult result = this.mvc
            .perform(
                    new ChunkedRequestBuilder("/api/v1/notifications").header("Authorization", "Bearer " + SENDER_TOKEN)
                        .header("Transfer-Encoding", "chunked")
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(body))
            .andReturn();

        assertThat(result.getRequest().getContentLengthLong()).isEqualTo(-1);
        JsonNode problem = assertProblem(result, 413);
        assertThat(problem.get("detail").asText()).contains(String.valueOf(LIMIT));
        assertNothingStored();
    }

    @Test
    void acceptsAChunkedBodyOfExactlySixtyFourKibibytes() throws Exception {
        byte[] body = bodyOfSize(LIMIT);

        MvcResult result = this.mvc
            .perform(
                    new ChunkedRequestBuilder("/api/v1/notifications").header("Authorization", "Bearer " + SENDER_TOKEN)
                        .header("Transfer-Encoding", "chunked")
                        .contentType(MediaType.APPLICATION_JSON)
                        .content(body))
            .andReturn();

        assertThat(result.getResponse().getStatus()).as(result.getResponse().getContentAsString()).isEqualTo(202);
    }

    @Test
    void refusesAnUnsupportedMethodWithMethodNotAllowed() throws Exception {
        MvcResult result = this.mvc
            .perform(delete("/api/v1/notifications").header("Authorization", "Bearer " + SENDER_TOKEN))
            .andReturn();

        assertProblem(result, 405);
        assertThat(result.getResponse().getHeader("Allow")).contains("POST");
    }

    @Test
    void answersNotFoundForAnUnknownPathUnderTheApi() throws Exception {
        MvcResult result = this.mvc
            .perform(get("/api/v1/no-such-endpoint").header("Authorization", "Bearer " + SENDER_TOKEN))
            .andReturn();

        assertProblem(result, 404);
    }

    @Test
    void answersNotFoundForAPathBelowANotification() throws Exception {
        MvcResult result = this.mvc
            .perform(get("/api/v1/notifications/{id}/attempts", "0f3c1a2e-5b7d-4c9e-8a1f-2b3c4d5e6f7a")
                .header("Authorization", "Bearer " + SENDER_TOKEN))
            .andReturn();

        assertProblem(result, 404);
    }

    /**
     * A valid notification padded with whitespace to exactly {@code size} bytes.
     */
    private static byte[] bodyOfSize(int size) {
        String minimal = MINIMAL.strip();
        String open = minimal.substring(0, minimal.length() - 1);
        byte[] bytes = (open + " ".repeat(size - minimal.length()) + "}").getBytes(StandardCharsets.UTF_8);
        assertThat(bytes).hasSize(size);
        return bytes;
    }

    private void assertNothingStored() {
        assertThat(this.jdbc.sql("select count(*) from notification").query(Long.class).single()).isZero();
    }

    /**
     * A request without a {@code Content-Length}, as a chunked body arrives: MockMvc
     * otherwise always derives the length from the content.
     */
    static final class ChunkedRequestBuilder extends AbstractMockHttpServletRequestBuilder<ChunkedRequestBuilder> {

        ChunkedRequestBuilder(String uri) {
            super(HttpMethod.POST);
            uri(uri);
        }

        @Override
        protected MockHttpServletRequest createServletRequest(ServletContext servletContext) {
            return new MockHttpServletRequest(servletContext) {

                @Override
                public int getContentLength() {
                    return -1;
                }

                @Override
                public long getContentLengthLong() {
                    return -1;
                }

            };
        }

    }

}
