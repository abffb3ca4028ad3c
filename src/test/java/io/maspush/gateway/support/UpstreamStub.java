package io.maspush.gateway.support;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;

/**
 * One WireMock server standing in for IBM's push service, shared by every test in the JVM
 * so that the Spring contexts pointing at it have the same configuration and are cached.
 */
public final class UpstreamStub {

    public static final String PATH = "/pushnotification/sendMessage";

    private static final WireMockServer server = start();

    private UpstreamStub() {
    }

    public static WireMockServer server() {
        return server;
    }

    public static String url() {
        return "http://localhost:" + server.port() + PATH;
    }

    private static WireMockServer start() {
        // The JDK HTTP client offers an h2c upgrade on plain http, which WireMock's
        // HTTP/2 support answers with a
        // cancelled stream; push services speak HTTP/1.1 anyway.
        WireMockServer wireMock = new WireMockServer(
                WireMockConfiguration.options().dynamicPort().http2PlainDisabled(true).containerThreads(64));
        wireMock.start();
        Runtime.getRuntime().addShutdownHook(new Thread(wireMock::stop));
        return wireMock;
    }

}
