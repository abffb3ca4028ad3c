package io.maspush.gateway.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.maspush.gateway.delivery.EnvironmentGates;
import io.maspush.gateway.secret.Secret;
import org.junit.jupiter.api.BeforeEach;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.autoconfigure.actuate.observability.AutoConfigureObservability;
import org.springframework.boot.test.autoconfigure.web.servlet.AutoConfigureMockMvc;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.http.MediaType;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;

/**
 * Two push environments, {@code test} and {@code prod}, each with its own path on the
 * WireMock push service: {@code test} takes its key from the configuration, {@code prod}
 * from a key file. Clients are bound to one environment each, plus an administrator of
 * every environment ({@code *}).
 */
@SpringBootTest(properties = { "spring.datasource.url=jdbc:h2:mem:environments-${random.uuid};DB_CLOSE_DELAY=-1",
        "management.server.port=", "gateway.security.rate-limit.requests-per-second=100000",
        "gateway.security.rate-limit.burst=100000",
        "gateway.environments.test.push.api-key=" + MultiEnvironmentTestSupport.TEST_KEY,
        "gateway.environments.test.push.allow-insecure-url=true",
        "gateway.environments.prod.push.allow-insecure-url=true", "gateway.environments.test.push.response-timeout=1s",
        "gateway.environments.prod.push.response-timeout=1s", "gateway.push-config.refresh-interval=100ms",
        "gateway.delivery.initial-backoff=20ms", "gateway.delivery.max-backoff=100ms",
        "gateway.delivery.sweep-interval=50ms", "gateway.delivery.pause-probe-interval=300ms",
        "gateway.delivery.max-attempts=4" })
@AutoConfigureMockMvc
@AutoConfigureObservability
public abstract class MultiEnvironmentTestSupport {

    public static final String TEST_KEY = "test-environment-key-111111";

    /**
     * Configured but unused (no proxy address), so that the leak tests have a proxy
     * password to look for.
     */
    public static final String PROXY_PASSWORD = "proxy-password-121212";

    public static final String PROD_FILE_KEY = "prod-file-key-222222";

    public static final String ENCRYPTION_KEY = Base64.getEncoder()
        .encodeToString("0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));

    public static final String TEST_SENDER = "test-sender-token-aaaaaaaa";

    public static final String PROD_SENDER = "prod-sender-token-bbbbbbbb";

    public static final String TEST_ADMIN = "test-admin-token-cccccccc";

    public static final String GLOBAL_ADMIN = "global-admin-token-dddddddd";

    public static final String TEST_PATH = "/test/pushnotification/sendMessage";

    public static final String PROD_PATH = "/prod/pushnotification/sendMessage";

    protected static final Path PROD_KEY_FILE = createKeyFile();

    @Autowired
    protected MockMvc mvc;

    @Autowired
    protected ObjectMapper json;

    @Autowired
    protected EnvironmentGates gates;

    @Autowired
    protected io.maspush.gateway.pushconfig.PushConfigService pushConfig;

    @Autowired
    protected org.springframework.jdbc.core.simple.JdbcClient jdbc;

    @Autowired
    protected CircuitBreakerRegistry circuitBreakers;

    @DynamicPropertySource
    static void environments(DynamicPropertyRegistry registry) {
        String base = "http://localhost:" + UpstreamStub.server().port();
        registry.add("gateway.environments.test.push.url", () -> base + TEST_PATH);
        registry.add("gateway.environments.prod.push.url", () -> base + PROD_PATH);
        registry.add("gateway.environments.prod.push.api-key-file", PROD_KEY_FILE::toString);
        registry.add("gateway.encryption-key", () -> ENCRYPTION_KEY);
        String[][] clients = { { "test-sender", TEST_SENDER, "SEND", "test" },
                { "prod-sender", PROD_SENDER, "SEND", "prod" }, { "test-admin", TEST_ADMIN, "ADMIN", "test" },
                { "global-admin", GLOBAL_ADMIN, "ADMIN", "*" } };
        for (int i = 0; i < clients.length; i++) {
            String[] client = clients[i];
            registry.add("gateway.clients[" + i + "].id", () -> client[0]);
            registry.add("gateway.clients[" + i + "].token-sha256", () -> Secret.sha256Hex(client[1]));
            registry.add("gateway.clients[" + i + "].roles", () -> client[2]);
            registry.add("gateway.clients[" + i + "].environment", () -> client[3]);
        }
    }

    @BeforeEach
    void resetUpstream() {
        this.pushConfig.revert("test", "test-reset");
        this.pushConfig.revert("prod", "test-reset");
        this.jdbc.sql("delete from notification").update();
        UpstreamStub.server().resetAll();
        UpstreamStub.server().stubFor(post(urlEqualTo(TEST_PATH)).willReturn(aResponse().withStatus(200)));
        UpstreamStub.server().stubFor(post(urlEqualTo(PROD_PATH)).willReturn(aResponse().withStatus(200)));
        this.gates.resume("test", "test reset");
        this.gates.resume("prod", "test reset");
        this.circuitBreakers.circuitBreaker("test").reset();
        this.circuitBreakers.circuitBreaker("prod").reset();
    }

    protected static void writeProdKeyFile(String key) {
        try {
            Files.writeString(PROD_KEY_FILE, key + "\n");
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    protected MvcResult send(String token, String body) throws Exception {
        return this.mvc
            .perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post("/api/v1/notifications")
                .header("Authorization", "Bearer " + token)
                .contentType(MediaType.APPLICATION_JSON)
                .content(body))
            .andReturn();
    }

    protected MvcResult getAs(String token, String path) throws Exception {
        return this.mvc.perform(get(path).header("Authorization", "Bearer " + token)).andReturn();
    }

    protected MvcResult putConfig(String token, String environment, String body) throws Exception {
        return this.mvc
            .perform(put("/api/v1/admin/environments/" + environment + "/push-config")
                .header("Authorization", "Bearer " + token)
                .contentType(MediaType.APPLICATION_JSON)
                .content(body))
            .andReturn();
    }

    protected JsonNode pushConfig(String environment) throws Exception {
        return this.json
            .readTree(getAs(GLOBAL_ADMIN, "/api/v1/admin/environments/" + environment + "/push-config").getResponse()
                .getContentAsString());
    }

    private static Path createKeyFile() {
        try {
            Path directory = Files.createTempDirectory("gateway-secrets");
            Path file = directory.resolve("api-key");
            Files.writeString(file, PROD_FILE_KEY + "\n");
            file.toFile().deleteOnExit();
            directory.toFile().deleteOnExit();
            return file;
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

}
