package io.maspush.gateway.pushconfig;

import java.net.URI;
import java.util.Locale;

import io.maspush.gateway.environment.ProxySettings;
import io.maspush.gateway.environment.PushSettings;

/**
 * The way from the gateway to the push service: the service's host and port, and the
 * proxy in between, if any. The first hop is the one the gateway itself connects to.
 *
 * @param host the push service's host
 * @param port the push service's port
 * @param https whether the URL uses TLS
 * @param proxy the proxy, or {@code null} for a direct connection
 */
record Route(String host, int port, boolean https, ProxySettings proxy) {

    static Route of(PushSettings settings) {
        URI url = settings.url();
        boolean https = "https".equals((url.getScheme() != null) ? url.getScheme().toLowerCase(Locale.ROOT) : "");
        return new Route(url.getHost(), settings.port(), https, settings.proxy());
    }

    String target() {
        return this.host + ":" + this.port;
    }

    String firstHopHost() {
        return (this.proxy != null) ? this.proxy.host() : this.host;
    }

    int firstHopPort() {
        return (this.proxy != null) ? this.proxy.port() : this.port;
    }

    /**
     * The first hop as a message names it.
     * @return "the proxy host:port" or the push service's "host:port"
     */
    String firstHop() {
        return (this.proxy != null) ? "the proxy " + this.proxy : target();
    }

}
