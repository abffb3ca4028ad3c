package io.maspush.gateway.pushconfig;

import java.security.NoSuchAlgorithmException;
import java.util.List;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocketFactory;

import io.maspush.gateway.environment.PushSettings;
import io.maspush.gateway.pushconfig.ConnectivityReport.Step;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.stereotype.Component;

/**
 * Checks, step by step, whether the gateway can reach an environment's push service the
 * way a delivery would, and says in an administrator's terms where it stops: the name
 * does not resolve, no TCP connection on 443, the proxy refuses the tunnel or the
 * credentials, the certificate is not trusted. The steps are {@value Step#DNS},
 * {@value Step#TCP}, {@value Step#PROXY} (only with a proxy) and {@value Step#TLS} (only
 * for an {@code https://} URL); each may take at most the settings' connect timeout.
 * <p>
 * Nothing is sent to the push service itself: the check ends with the handshake, so it
 * neither needs nor uses the API key.
 */
@Component
public class ConnectivityCheck {

    private static final Logger logger = LoggerFactory.getLogger(ConnectivityCheck.class);

    private final SSLSocketFactory tls;

    /**
     * A check that trusts what the JVM's default trust store trusts, as the gateway's
     * HTTP client does.
     */
    public ConnectivityCheck() {
        this(defaultContext());
    }

    ConnectivityCheck(SSLContext sslContext) {
        this.tls = sslContext.getSocketFactory();
    }

    /**
     * Run the check.
     * @param settings the environment's settings
     * @return the report, never {@code null}; the check does not throw for anything the
     * network does
     */
    public ConnectivityReport check(PushSettings settings) {
        List<Step> steps;
        try (ConnectivityProbe probe = new ConnectivityProbe(Route.of(settings), settings.connectTimeout(), this.tls)) {
            steps = probe.run();
        }
        ConnectivityReport report = ConnectivityReport.of(steps);
        if (logger.isDebugEnabled()) {
            steps.forEach((step) -> logger.debug("Connectivity check of {}: {} {} in {} ms: {}",
                    settings.url().getHost(), step.name(), step.ok() ? "ok" : "failed", step.millis(), step.message()));
        }
        return report;
    }

    private static SSLContext defaultContext() {
        try {
            return SSLContext.getDefault();
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("The JVM has no default TLS context", ex);
        }
    }

}
