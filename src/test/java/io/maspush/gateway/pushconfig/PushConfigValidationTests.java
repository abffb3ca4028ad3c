package io.maspush.gateway.pushconfig;

import com.fasterxml.jackson.databind.JsonNode;
import io.maspush.gateway.support.MultiEnvironmentTestSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.test.web.servlet.MvcResult;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin API refuses settings that could not work, saying why, and answers with the
 * masked view.
 */
class PushConfigValidationTests extends MultiEnvironmentTestSupport {

    @ParameterizedTest
    @CsvSource(delimiter = '|',
            value = { "{\"url\": \"ftp://push.example.com/send\"}|url",
                    "{\"url\": \"https://user:pw@push.example.com/send\"}|user information",
                    "{\"url\": \"https://push.example.com/send#frag\"}|fragment",
                    "{\"url\": \"/pushnotification/sendMessage\"}|absolute",
                    "{\"url\": \"https://exa mple.com/\"}|not a valid URL", "{\"bundleId\": \"mobile\"}|reverse-DNS",
                    "{\"bundleId\": \"com..ibm\"}|reverse-DNS", "{\"apiKey\": \"has space\"}|whitespace",
                    "{\"apiKey\": \"\"}|apiKey", "{\"apiKey\": \"tab\\tinside\"}|whitespace",
                    "{\"apiKeyHeader\": \"X API\"}|header name", "{\"proxy\": \"proxy-without-port\"}|host:port",
                    "{\"proxy\": \"proxy:99999\"}|host:port" })
    void refusesInvalidSettingsSayingWhy(String body, String expected) throws Exception {
        MvcResult result = putConfig(GLOBAL_ADMIN, "test", body);

        assertThat(result.getResponse().getStatus()).isEqualTo(400);
        assertThat(result.getResponse().getContentType()).startsWith("application/problem+json");
        assertThat(result.getResponse().getContentAsString()).contains(expected);
        assertThat(pushConfig("test").at("/apiKey/source").asText()).isEqualTo("config");
    }

    @Test
    void refusesPlainHttpUnlessTheEnvironmentAllowsIt() throws Exception {
        assertThat(putConfig(GLOBAL_ADMIN, "test", "{\"url\": \"http://localhost:1/send\"}").getResponse().getStatus())
            .isEqualTo(200);
    }

    @Test
    void answersUnknownEnvironmentsWith404() throws Exception {
        MvcResult result = getAs(GLOBAL_ADMIN, "/api/v1/admin/environments/staging/push-config");

        assertThat(result.getResponse().getStatus()).isEqualTo(404);
        assertThat(result.getResponse().getContentAsString()).contains("staging");
    }

    @Test
    void answersAChangeWithTheMaskedViewAndWarnings() throws Exception {
        MvcResult result = putConfig(GLOBAL_ADMIN, "test",
                "{\"bundleId\": \"com.example.custom\", \"apiKey\": \"fresh-admin-key-888888\"}");

        assertThat(result.getResponse().getStatus()).isEqualTo(200);
        String body = result.getResponse().getContentAsString();
        assertThat(body).doesNotContain("fresh-admin-key-888888");
        JsonNode view = this.json.readTree(body);
        assertThat(view.get("bundleId").asText()).isEqualTo("com.example.custom");
        assertThat(view.at("/apiKey/source").asText()).isEqualTo("admin");
        assertThat(view.at("/apiKey/fingerprint").asText()).hasSize(12);
        assertThat(view.at("/apiKey/rotationDue").asBoolean()).isFalse();
        assertThat(view.get("warnings").toString()).contains("custom build of the MAS Mobile app")
            .contains("not IBM's push service");
    }

    @Test
    void pagesTheHistoryNewestFirst() throws Exception {
        putConfig(GLOBAL_ADMIN, "prod", "{\"bundleId\": \"com.example.one\"}");
        putConfig(GLOBAL_ADMIN, "prod", "{\"bundleId\": \"com.example.two\"}");

        JsonNode page = this.json.readTree(
                getAs(GLOBAL_ADMIN, "/api/v1/admin/environments/prod/push-config/history?page=0&size=2").getResponse()
                    .getContentAsString());

        assertThat(page.get("entries")).hasSize(2);
        assertThat(page.get("entries").get(0).get("fields").get(0).asText()).isEqualTo("bundleId");
        assertThat(page.get("total").asLong()).isGreaterThanOrEqualTo(3);
        assertThat(getAs(GLOBAL_ADMIN, "/api/v1/admin/environments/prod/push-config/history?size=1000").getResponse()
            .getStatus()).isEqualTo(400);
    }

}
