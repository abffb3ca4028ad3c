package io.maspush.gateway.push;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import io.maspush.gateway.environment.ProxySettings;
import io.maspush.gateway.environment.PushEnvironment;
import io.maspush.gateway.environment.PushProperties;
import io.maspush.gateway.environment.PushSettings;
import io.maspush.gateway.push.PushOutcome.Type;
import io.maspush.gateway.secret.Secret;
import io.maspush.gateway.support.TestHttpProxy;
import io.maspush.gateway.support.UpstreamStub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.boot.info.BuildProperties;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.web.client.RestClient;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Deliveries through an outbound proxy: a real forward proxy on loopback between the HTTP
 * push client and the WireMock push service.
 */
@ExtendWith(OutputCaptureExtension.class)
class ProxiedDeliveryTests {

    // Distinct from the key of the Spring contexts that share the stub, so that counting
    // calls with this key counts only this class's calls.
    private static final String API_KEY = "proxied-delivery-key-0123456789";

    private static final String PROXY_USER = "gateway";

    private static final String PROXY_PASSWORD = "proxy-pass-7f3a9c1e";

    private final HttpPushClient client = new HttpPushClient(RestClient.builder(), Clock.systemUTC(),
            new StaticListableBeanFactory().getBeanProvider(BuildProperties.class));

    private TestHttpProxy proxy;

    @BeforeEach
    void stubPushService() {
        UpstreamStub.server().resetAll();
        UpstreamStub.server()
            .stubFor(post(urlEqualTo(UpstreamStub.PATH)).willReturn(aResponse().withStatus(200).withBody("{}")));
    }

    @AfterEach
    void closeProxy() throws IOException {
        if (this.proxy != null) {
            this.proxy.close();
        }
    }

    @Test
    void deliversThroughTheProxy() throws IOException {
        this.proxy = TestHttpProxy.open();

        PushOutcome outcome = send(this.proxy.settings(null, null));

        assertThat(outcome.type()).isEqualTo(Type.DELIVERED);
        assertThat(this.proxy.requests()).isEqualTo(1);
        assertThat(this.proxy.tunnels()).isZero();
        UpstreamStub.server()
            .verify(1, postRequestedFor(urlEqualTo(UpstreamStub.PATH)).withHeader("X-API-Key", equalTo(API_KEY)));
    }

    @Test
    void deliversWithTheCredentialsTheProxyRequires() throws IOException {
        this.proxy = TestHttpProxy.requiringCredentials(PROXY_USER, PROXY_PASSWORD);

        PushOutcome outcome = send(this.proxy.settings(PROXY_USER, PROXY_PASSWORD));

        assertThat(outcome.type()).isEqualTo(Type.DELIVERED);
        assertThat(this.proxy.requests()).isEqualTo(1);
        assertThat(this.proxy.rejected()).isZero();
        UpstreamStub.server()
            .verify(1, postRequestedFor(urlEqualTo(UpstreamStub.PATH)).withHeader("X-API-Key", equalTo(API_KEY))
                .withoutHeader("Proxy-Authorization"));
    }

    @Test
    void refusedProxyCredentialsAreRetryableAndNameTheProxy() throws IOException {
        this.proxy = TestHttpProxy.requiringCredentials(PROXY_USER, PROXY_PASSWORD);

        PushOutcome outcome = send(this.proxy.settings(PROXY_USER, "not-the-password"));

        assertThat(outcome.type()).isEqualTo(Type.RETRYABLE);
        assertThat(outcome.upstreamStatus()).isEqualTo(407);
        assertThat(outcome.detail()).isEqualTo("the proxy " + this.proxy.host() + ":" + this.proxy.port()
                + " refused the gateway's credentials (HTTP 407): check the proxy user and password");
        assertThat(this.proxy.rejected()).isEqualTo(1);
        assertThat(this.proxy.requests()).isZero();
        UpstreamStub.server()
            .verify(0, postRequestedFor(urlEqualTo(UpstreamStub.PATH)).withHeader("X-API-Key", equalTo(API_KEY)));
    }

    @Test
    void aProxyAskingForCredentialsThatAreNotConfiguredSaysSo() throws IOException {
        this.proxy = TestHttpProxy.requiringCredentials(PROXY_USER, PROXY_PASSWORD);

        PushOutcome outcome = send(this.proxy.settings(null, null));

        assertThat(outcome.type()).isEqualTo(Type.RETRYABLE);
        assertThat(outcome.detail()).contains("the proxy " + this.proxy.host() + ":" + this.proxy.port())
            .contains("asks for credentials (HTTP 407)");
        assertThat(this.proxy.rejected()).isEqualTo(1);
    }

    @Test
    void aProxyThatCannotBeReachedIsNamedInsteadOfThePushService() throws IOException {
        int port = closedPort();

        PushOutcome outcome = send(new ProxySettings("127.0.0.1", port, PROXY_USER, Secret.ofNullable(PROXY_PASSWORD)));

        assertThat(outcome.type()).isEqualTo(Type.IO_ERROR);
        assertThat(outcome.detail()).isEqualTo("connection to the proxy 127.0.0.1:" + port
                + " refused or unreachable: check the proxy address and that the proxy runs");
        UpstreamStub.server()
            .verify(0, postRequestedFor(urlEqualTo(UpstreamStub.PATH)).withHeader("X-API-Key", equalTo(API_KEY)));
    }

    @Test
    void aProxyThatCannotReachThePushServiceIsRetryable() throws IOException {
        this.proxy = TestHttpProxy.open();
        int port = closedPort();

        PushOutcome outcome = send(this.proxy.settings(null, null), "http://localhost:" + port + UpstreamStub.PATH);

        assertThat(outcome.type()).isEqualTo(Type.RETRYABLE);
        assertThat(outcome.upstreamStatus()).isEqualTo(502);
        assertThat(outcome.type().isRetryable()).isTrue();
    }

    @Test
    void aProxyThatCannotOpenATunnelIsNamedAndRetryable() throws IOException {
        this.proxy = TestHttpProxy.open();
        int port = closedPort();

        PushOutcome outcome = send(this.proxy.settings(null, null), "https://localhost:" + port + UpstreamStub.PATH);

        assertThat(outcome.type()).isEqualTo(Type.IO_ERROR);
        assertThat(outcome.type().isRetryable()).isTrue();
        assertThat(outcome.detail()).isEqualTo("the proxy " + this.proxy.host() + ":" + this.proxy.port()
                + " did not open a tunnel to localhost:" + port + " (HTTP 502)");
        assertThat(this.proxy.tunnels()).isZero();
    }

    @Test
    void neverRevealsTheProxyPassword(CapturedOutput output) throws IOException {
        this.proxy = TestHttpProxy.requiringCredentials(PROXY_USER, PROXY_PASSWORD);
        ProxySettings right = this.proxy.settings(PROXY_USER, PROXY_PASSWORD);
        ProxySettings unreachable = new ProxySettings("127.0.0.1", closedPort(), PROXY_USER,
                Secret.ofNullable(PROXY_PASSWORD));
        PushSettings https = settings(right, "https://push.example.invalid/pushnotification/sendMessage");

        List<PushOutcome> outcomes = List.of(send(right), send(this.proxy.settings(PROXY_USER, "wrong")),
                send(unreachable));
        PushHttpClients.warnIfTunnelCredentialsAreDropped(https, "Basic");

        assertThat(outcomes).extracting(PushOutcome::type)
            .containsExactly(Type.DELIVERED, Type.RETRYABLE, Type.IO_ERROR);
        String encoded = Base64.getEncoder()
            .encodeToString((PROXY_USER + ":" + PROXY_PASSWORD).getBytes(StandardCharsets.UTF_8));
        assertThat(output.getAll()).contains("needs credentials")
            .doesNotContain(PROXY_PASSWORD)
            .doesNotContain(encoded);
        assertThat(outcomes)
            .allSatisfy((outcome) -> assertThat(String.valueOf(outcome.detail())).doesNotContain(PROXY_PASSWORD)
                .doesNotContain(encoded));
        assertThat(https.toString()).doesNotContain(PROXY_PASSWORD);
    }

    @Test
    void tellsWhichTunnellingSettingsDropBasicCredentials() {
        assertThat(PushHttpClients.disablesBasic(null)).isTrue();
        assertThat(PushHttpClients.disablesBasic("Basic")).isTrue();
        assertThat(PushHttpClients.disablesBasic("Digest, basic")).isTrue();
        assertThat(PushHttpClients.disablesBasic("")).isFalse();
        assertThat(PushHttpClients.disablesBasic("Digest")).isFalse();
    }

    private PushOutcome send(ProxySettings proxySettings) {
        return send(proxySettings, UpstreamStub.url());
    }

    private PushOutcome send(ProxySettings proxySettings, String url) {
        PushMessage message = new PushMessage(PushProperties.DEFAULT_BUNDLE_ID, UUID.randomUUID().toString(),
                List.of("WILSON"), "Work order 1042 assigned", "Pump P-100 leaks", null, "NORMAL", null, null);
        return this.client.send(new PushEnvironment(PushEnvironment.DEFAULT, settings(proxySettings, url),
                io.maspush.gateway.environment.KeySource.CONFIG), message);
    }

    private static PushSettings settings(ProxySettings proxySettings, String url) {
        return new PushSettings(PushProperties.DEFAULT_BUNDLE_ID, URI.create(url), Secret.ofNullable(API_KEY),
                "X-API-Key", true, proxySettings, Duration.ofSeconds(2), Duration.ofSeconds(5), 0);
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

}
