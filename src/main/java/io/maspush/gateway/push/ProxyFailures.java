package io.maspush.gateway.push;

import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.SSLException;

import io.maspush.gateway.environment.ProxySettings;
import io.maspush.gateway.environment.PushSettings;
import io.maspush.gateway.support.Causes;

/**
 * Explains the failures of calls that go through an outbound proxy. The gateway only ever
 * connects to the proxy, so a refused connection, an unknown host or a connect timeout
 * names the proxy, not the push service: the administrator then knows which hop to look
 * at.
 */
final class ProxyFailures {

    /**
     * How the JDK client reports a proxy that answers a {@code CONNECT} with neither 200
     * nor 407.
     */
    private static final Pattern TUNNEL_REFUSED = Pattern.compile("Tunnel failed, got: (\\d{3})");

    private ProxyFailures() {
    }

    /**
     * The detail of a 407 answer.
     * @param proxy the configured proxy, or {@code null} when none is configured
     * @return the detail
     */
    static String refusal(ProxySettings proxy) {
        if (proxy == null) {
            return "a proxy on the way to the push service asks for credentials (HTTP 407),"
                    + " but no proxy is configured for this environment";
        }
        if (proxy.hasCredentials()) {
            return "the proxy " + proxy + " refused the gateway's credentials (HTTP 407):"
                    + " check the proxy user and password";
        }
        return "the proxy " + proxy + " asks for credentials (HTTP 407): set the proxy user and password";
    }

    /**
     * Classify a call through the settings' proxy that got no HTTP answer.
     * @param failure the failure; the JDK client wraps the telling cause, such as a
     * {@link ConnectException}, in others
     * @param settings the environment's settings, with a proxy
     * @param target the push service's {@code host:port}
     * @return the outcome
     */
    static PushOutcome classify(Throwable failure, PushSettings settings, String target) {
        ProxySettings proxy = settings.proxy();
        String through = target + " through the proxy " + proxy;
        if (Causes.has(failure, HttpConnectTimeoutException.class)) {
            return PushOutcome
                .timeout("no connection through the proxy " + proxy + " within " + settings.connectTimeout().toMillis()
                        + " ms: may the gateway reach the proxy, and the proxy " + target + "?");
        }
        if (Causes.has(failure, HttpTimeoutException.class)) {
            return PushOutcome
                .timeout("no answer from " + through + " within " + settings.responseTimeout().toMillis() + " ms");
        }
        if (Causes.has(failure, UnknownHostException.class) || Causes.has(failure, UnresolvedAddressException.class)) {
            return PushOutcome
                .ioError("proxy host " + proxy.host() + " cannot be resolved: check DNS and the proxy address");
        }
        if (Causes.has(failure, ConnectException.class)) {
            return PushOutcome.ioError("connection to the proxy " + proxy
                    + " refused or unreachable: check the proxy address and that the proxy runs");
        }
        for (Throwable cause = failure; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
            Matcher tunnel = TUNNEL_REFUSED.matcher(String.valueOf(cause.getMessage()));
            if (tunnel.find()) {
                return PushOutcome.ioError("the proxy " + proxy + " did not open a tunnel to " + target + " (HTTP "
                        + tunnel.group(1) + ")");
            }
        }
        Throwable root = Causes.root(failure);
        if (Causes.has(failure, SSLException.class)) {
            return PushOutcome
                .ioError("TLS handshake with " + through + " failed: " + HttpPushClient.shorten(root.getMessage()));
        }
        return PushOutcome.ioError("connection to " + through + " failed: " + root.getClass().getSimpleName()
                + ((root.getMessage() != null) ? " " + HttpPushClient.shorten(root.getMessage()) : ""));
    }

}
