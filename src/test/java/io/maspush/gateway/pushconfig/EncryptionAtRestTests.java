package io.maspush.gateway.pushconfig;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import io.maspush.gateway.GatewayApplication;
import io.maspush.gateway.support.UpstreamStub;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.ErrorResponseException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A key set through the admin API is stored only encrypted, and a gateway started with
 * another key-encryption key refuses to start with a message saying so, instead of
 * delivering with garbage.
 */
class EncryptionAtRestTests {

    private static final String ADMIN_KEY = "stored-admin-key-555555";

    private static final String RIGHT = Base64.getEncoder()
        .encodeToString("right-key-right-key-right-key-32".getBytes(StandardCharsets.US_ASCII));

    private static final String WRONG = Base64.getEncoder()
        .encodeToString("wrong-key-wrong-key-wrong-key-32".getBytes(StandardCharsets.US_ASCII));

    @TempDir
    Path dataDir;

    @Test
    void storesOnlyCiphertextAndRefusesToStartWithAnotherEncryptionKey() throws Exception {
        String url = "jdbc:h2:file:" + this.dataDir.resolve("gateway");
        try (ConfigurableApplicationContext gateway = start(url, RIGHT)) {
            gateway.getBean(PushConfigService.class)
                .update("default", new PushConfigUpdate(null, null, null, null, ADMIN_KEY), "admin");
        }

        List<String> stored = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection(url, "sa", "");
                ResultSet rows = connection.createStatement().executeQuery("select * from push_config")) {
            while (rows.next()) {
                for (int column = 1; column <= rows.getMetaData().getColumnCount(); column++) {
                    stored.add(String.valueOf(rows.getString(column)));
                }
            }
        }
        String all = String.join("|", stored);
        assertThat(all).isNotEmpty()
            .doesNotContain(ADMIN_KEY)
            .doesNotContain(Base64.getEncoder().encodeToString(ADMIN_KEY.getBytes(StandardCharsets.UTF_8)));

        assertThatThrownBy(() -> start(url, WRONG).close()).hasStackTraceContaining(
                "GATEWAY_ENCRYPTION_KEY does not match the key that encrypted the stored API key of environment"
                        + " 'default'");

        try (ConfigurableApplicationContext gateway = start(url, RIGHT)) {
            assertThat(gateway.getBean(io.maspush.gateway.environment.PushEnvironments.class)
                .get("default")
                .settings()
                .apiKey()
                .reveal()).isEqualTo(ADMIN_KEY);
        }
    }

    @Test
    void refusesToStoreAKeyWithoutAnEncryptionKey() {
        String url = "jdbc:h2:file:" + this.dataDir.resolve("plain");
        try (ConfigurableApplicationContext gateway = start(url, "")) {
            assertThatThrownBy(() -> gateway.getBean(PushConfigService.class)
                .update("default", new PushConfigUpdate(null, null, null, null, ADMIN_KEY), "admin"))
                .isInstanceOfSatisfying(ErrorResponseException.class, (ex) -> {
                    assertThat(ex.getStatusCode().value()).isEqualTo(409);
                    assertThat(ex.getBody().getDetail()).contains("GATEWAY_ENCRYPTION_KEY is not set");
                });
        }
    }

    @Test
    void refusesToStartWithAMalformedEncryptionKey() {
        String url = "jdbc:h2:file:" + this.dataDir.resolve("malformed");
        assertThatThrownBy(() -> start(url, "c2hvcnQ=").close())
            .hasStackTraceContaining("GATEWAY_ENCRYPTION_KEY must be the base64 of 32 bytes");
    }

    private static ConfigurableApplicationContext start(String url, String encryptionKey) {
        return new SpringApplicationBuilder(GatewayApplication.class).run("--server.port=0",
                "--management.server.port=0", "--spring.datasource.url=" + url,
                "--gateway.push.url=" + UpstreamStub.url(), "--gateway.push.allow-insecure-url=true",
                "--gateway.push.api-key=configured-key", "--gateway.encryption-key=" + encryptionKey,
                "--gateway.clients[0].id=sender", "--gateway.clients[0].token-sha256=" + "0".repeat(64));
    }

}
