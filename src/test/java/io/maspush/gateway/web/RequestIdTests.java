package io.maspush.gateway.web;

import io.maspush.gateway.support.GatewayTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.test.web.servlet.MvcResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;

/**
 * Every answer carries a request id, taken from the caller when it sends one, and log
 * lines written while handling the request carry it too.
 */
@ExtendWith(OutputCaptureExtension.class)
class RequestIdTests extends GatewayTestSupport {

    @Test
    void echoesTheCallersRequestId() throws Exception {
        MvcResult result = this.mvc.perform(get("/api/v1/notifications/x").header("X-Request-Id", "manage-4711"))
            .andReturn();

        assertThat(result.getResponse().getHeader("X-Request-Id")).isEqualTo("manage-4711");
    }

    @Test
    void takesTheTraceIdOfATraceparent() throws Exception {
        MvcResult result = this.mvc
            .perform(get("/api/v1/notifications/x").header("traceparent",
                    "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"))
            .andReturn();

        assertThat(result.getResponse().getHeader("X-Request-Id")).isEqualTo("4bf92f3577b34da6a3ce929d0e0e4736");
    }

    @Test
    void generatesOneWhenNoneOrAnUnsafeOneIsSent() throws Exception {
        String generated = this.mvc.perform(get("/api/v1/notifications/x"))
            .andReturn()
            .getResponse()
            .getHeader("X-Request-Id");
        String replaced = this.mvc.perform(get("/api/v1/notifications/x").header("X-Request-Id", "bad id\twith tab"))
            .andReturn()
            .getResponse()
            .getHeader("X-Request-Id");

        assertThat(generated).matches("[0-9a-f-]{36}");
        assertThat(replaced).matches("[0-9a-f-]{36}");
    }

    @Test
    void logLinesWrittenForARequestCarryItsId(CapturedOutput output) throws Exception {
        this.mvc
            .perform(put("/api/v1/admin/environments/default/push-config")
                .header("Authorization", "Bearer " + ADMIN_TOKEN)
                .header("X-Request-Id", "trace-me-0001")
                .contentType("application/json")
                .content("{\"apiKeyHeader\": \"X-Api-Key\"}"))
            .andReturn();
        this.mvc
            .perform(delete("/api/v1/admin/environments/default/push-config")
                .header("Authorization", "Bearer " + ADMIN_TOKEN)
                .header("X-Request-Id", "trace-me-0002"))
            .andReturn();

        assertThat(output.getOut().lines().filter((line) -> line.contains("changed by admin")))
            .anySatisfy((line) -> assertThat(line).contains("[trace-me-0001 "))
            .anySatisfy((line) -> assertThat(line).contains("[trace-me-0002 "));
    }

}
