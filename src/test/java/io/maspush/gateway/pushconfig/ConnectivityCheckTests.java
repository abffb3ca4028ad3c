package io.maspush.gateway.pushconfig;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import io.maspush.gateway.environment.ProxySettings;
import io.maspush.gateway.environment.PushProperties;
import io.maspush.gateway.environment.PushSettings;
import io.maspush.gateway.pushconfig.ConnectivityReport.Step;
import io.maspush.gateway.secret.Secret;
import io.maspush.gateway.support.TestHttpProxy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The connectivity check against loopback stand-ins: a WireMock HTTPS port with its
 * self-signed certificate, closed ports, and a real forward proxy.
 */
class ConnectivityCheckTests {

    private static final String PATH = "/pushnotification/sendMessage";

    private static final String PROXY_USER = "gateway";

    private static final String PROXY_PASSWORD = "proxy-pass-51d0e2b8";

    private static WireMockServer pushService;

    private static X509Certificate pushServiceCertificate;

    private final ConnectivityCheck defaultTrust = new ConnectivityCheck();

    @BeforeAll
    static void startPushService() throws Exception {
        pushService = new WireMockServer(
                WireMockConfiguration.options().httpDisabled(true).dynamicHttpsPort().bindAddress("127.0.0.1"));
        pushService.start();
        pushServiceCertificate = fetchCertificate(pushService.httpsPort());
    }

    @AfterAll
    static void stopPushService() {
        pushService.stop();
    }

    @Test
    void stopsAtAHostThatCannotBeResolved() {
        ConnectivityReport report = this.defaultTrust
            .check(settings("https://push.connectivity-check.invalid" + PATH, null, Duration.ofSeconds(2)));

        assertThat(report.ok()).isFalse();
        assertThat(report.steps()).extracting(Step::name, Step::ok, Step::message)
            .containsExactly(tuple("dns", false,
                    "host push.connectivity-check.invalid cannot be resolved: check DNS and the URL"));
    }

    @Test
    void stopsAtARefusedConnection() throws IOException {
        int port = closedPort();

        ConnectivityReport report = this.defaultTrust
            .check(settings("https://127.0.0.1:" + port + PATH, null, Duration.ofSeconds(2)));

        assertThat(report.ok()).isFalse();
        assertThat(report.steps()).extracting(Step::name, Step::ok)
            .containsExactly(tuple("dns", true), tuple("tcp", false));
        assertThat(report.failure()).get()
            .extracting(Step::message)
            .asString()
            .startsWith("connection refused by 127.0.0.1:" + port + ": ");
    }

    @Test
    void reportsACertificateTheJvmDoesNotTrust() {
        ConnectivityReport report = this.defaultTrust.check(settings(pushServiceUrl(), null, Duration.ofSeconds(2)));

        assertThat(report.ok()).isFalse();
        assertThat(report.steps()).extracting(Step::name, Step::ok)
            .containsExactly(tuple("dns", true), tuple("tcp", true), tuple("tls", false));
        assertThat(report.failure()).get()
            .extracting(Step::message)
            .asString()
            .startsWith("certificate not trusted: the certificate of localhost:" + pushService.httpsPort());
    }

    @Test
    void reportsTheSubjectAndExpiryOfATrustedCertificate() throws Exception {
        ConnectivityCheck check = new ConnectivityCheck(pinning(pushServiceCertificate));

        ConnectivityReport report = check.check(settings(pushServiceUrl(), null, Duration.ofSeconds(2)));

        assertThat(report.ok()).isTrue();
        assertThat(report.steps()).extracting(Step::name).containsExactly("dns", "tcp", "tls");
        assertThat(report.step("tls")).get()
            .extracting(Step::message)
            .asString()
            .contains("certificate subject " + pushServiceCertificate.getSubjectX500Principal().getName())
            .contains("valid until " + pushServiceCertificate.getNotAfter().toInstant());
        assertThat(report.steps()).allSatisfy((step) -> assertThat(step.millis()).isBetween(0L, 2000L));
    }

    @Test
    void reportsATrustedCertificateIssuedForAnotherHost() throws Exception {
        ConnectivityCheck check = new ConnectivityCheck(trustStoreWith(pushServiceCertificate));

        ConnectivityReport report = check.check(settings(pushServiceUrl(), null, Duration.ofSeconds(2)));

        assertThat(report.ok()).isFalse();
        assertThat(report.failure()).get().satisfies((step) -> {
            assertThat(step.name()).isEqualTo("tls");
            assertThat(step.message()).startsWith("the certificate of localhost:" + pushService.httpsPort()
                    + " does not match the host name localhost");
        });
    }

    @Test
    void opensATunnelThroughTheProxy() throws Exception {
        try (TestHttpProxy proxy = TestHttpProxy.open()) {
            ConnectivityCheck check = new ConnectivityCheck(pinning(pushServiceCertificate));

            ConnectivityReport report = check
                .check(settings(pushServiceUrl(), proxy.settings(null, null), Duration.ofSeconds(2)));

            assertThat(report.ok()).isTrue();
            assertThat(report.steps()).extracting(Step::name).containsExactly("dns", "tcp", "proxy", "tls");
            assertThat(report.step("dns")).get()
                .extracting(Step::message)
                .asString()
                .startsWith("proxy host 127.0.0.1 resolves to 127.0.0.1")
                .endsWith("the proxy resolves localhost itself");
            assertThat(report.step("proxy")).get()
                .extracting(Step::message)
                .isEqualTo("the proxy 127.0.0.1:" + proxy.port() + " opened a tunnel to localhost:"
                        + pushService.httpsPort());
            assertThat(proxy.tunnels()).isEqualTo(1);
            assertThat(proxy.requests()).isZero();
        }
    }

    @Test
    void sendsTheProxyCredentials() throws Exception {
        try (TestHttpProxy proxy = TestHttpProxy.requiringCredentials(PROXY_USER, PROXY_PASSWORD)) {
            ConnectivityReport report = this.defaultTrust
                .check(settings(pushServiceUrl(), proxy.settings(PROXY_USER, PROXY_PASSWORD), Duration.ofSeconds(2)));

            assertThat(report.steps()).extracting(Step::name, Step::ok)
                .containsExactly(tuple("dns", true), tuple("tcp", true), tuple("proxy", true), tuple("tls", false));
            assertThat(proxy.tunnels()).isEqualTo(1);
            assertThat(proxy.rejected()).isZero();
        }
    }

    @Test
    void reportsAProxyThatRefusesToTunnelWithoutCredentials() throws Exception {
        try (TestHttpProxy proxy = TestHttpProxy.requiringCredentials(PROXY_USER, PROXY_PASSWORD)) {
            ConnectivityReport report = this.defaultTrust
                .check(settings(pushServiceUrl(), proxy.settings(null, null), Duration.ofSeconds(2)));

            assertThat(report.ok()).isFalse();
            assertThat(report.steps()).extracting(Step::name, Step::ok)
                .containsExactly(tuple("dns", true), tuple("tcp", true), tuple("proxy", false));
            assertThat(report.failure()).get()
                .extracting(Step::message)
                .isEqualTo("the proxy 127.0.0.1:" + proxy.port() + " refused the credentials (HTTP 407):"
                        + " it requires a user and password, and none is configured");
            assertThat(proxy.rejected()).isEqualTo(1);
            assertThat(proxy.tunnels()).isZero();
        }
    }

    @Test
    void reportsWrongProxyCredentialsWithoutRevealingThem() throws Exception {
        try (TestHttpProxy proxy = TestHttpProxy.requiringCredentials(PROXY_USER, "the-right-one")) {
            ConnectivityReport report = this.defaultTrust
                .check(settings(pushServiceUrl(), proxy.settings(PROXY_USER, PROXY_PASSWORD), Duration.ofSeconds(2)));

            assertThat(report.failure()).get()
                .extracting(Step::message)
                .asString()
                .contains("refused the credentials (HTTP 407): check the proxy user and password")
                .doesNotContain(PROXY_PASSWORD);
            assertThat(report.toString()).doesNotContain(PROXY_PASSWORD);
            assertThat(proxy.rejected()).isEqualTo(1);
        }
    }

    @Test
    void boundsAProxyThatNeverAnswersByTheConnectTimeout() throws IOException {
        // Never accepted: the kernel completes the TCP handshake, then nobody reads or
        // answers.
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ProxySettings proxy = new ProxySettings("127.0.0.1", silent.getLocalPort(), null, null);

            ConnectivityReport report = this.defaultTrust
                .check(settings(pushServiceUrl(), proxy, Duration.ofMillis(300)));

            assertThat(report.steps()).extracting(Step::name, Step::ok)
                .containsExactly(tuple("dns", true), tuple("tcp", true), tuple("proxy", false));
            assertThat(report.failure()).get()
                .satisfies((step) -> assertThat(step.message()).isEqualTo("the proxy 127.0.0.1:" + silent.getLocalPort()
                        + " did not answer CONNECT localhost:" + pushService.httpsPort() + " within 300 ms"))
                .satisfies((step) -> assertThat(step.millis()).isBetween(290L, 1500L));
        }
    }

    private static String pushServiceUrl() {
        return "https://localhost:" + pushService.httpsPort() + PATH;
    }

    private static PushSettings settings(String url, ProxySettings proxy, Duration connectTimeout) {
        return new PushSettings(PushProperties.DEFAULT_BUNDLE_ID, URI.create(url),
                Secret.ofNullable("connectivity-key-0123456789"), "X-API-Key", false, proxy, connectTimeout,
                Duration.ofSeconds(5), 0);
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /**
     * The certificate WireMock presents, read with a handshake that trusts anything:
     * acceptable in a test that only wants to know what to trust next.
     */
    private static X509Certificate fetchCertificate(int port) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] { new PinningTrustManager(null) }, null);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.startHandshake();
            return (X509Certificate) socket.getSession().getPeerCertificates()[0];
        }
    }

    /**
     * A TLS context that trusts exactly this certificate, whatever host it is for:
     * WireMock's certificate names no host, so this is how a test gets a handshake
     * through.
     */
    private static SSLContext pinning(X509Certificate certificate) throws GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] { new PinningTrustManager(certificate) }, null);
        return context;
    }

    /**
     * A TLS context with the JDK's own checks over a trust store holding this
     * certificate: the chain is trusted, the host name is still checked.
     */
    private static SSLContext trustStoreWith(X509Certificate certificate) throws Exception {
        KeyStore trustStore = KeyStore.getInstance(KeyStore.getDefaultType());
        trustStore.load(null, null);
        trustStore.setCertificateEntry("push-service", certificate);
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trustStore);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }

    /**
     * Trusts one server certificate, or any when none is given. Extends
     * {@link X509ExtendedTrustManager} so that the JDK leaves the decision, host name
     * included, to it.
     */
    private static final class PinningTrustManager extends X509ExtendedTrustManager {

        private final X509Certificate pinned;

        PinningTrustManager(X509Certificate pinned) {
            this.pinned = pinned;
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            if (this.pinned != null && !this.pinned.equals(chain[0])) {
                throw new CertificateException("not the pinned certificate");
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            checkServerTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            checkServerTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("a client of the test does not present certificates");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            checkClientTrusted(chain, authType);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            checkClientTrusted(chain, authType);
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }

    }

}
