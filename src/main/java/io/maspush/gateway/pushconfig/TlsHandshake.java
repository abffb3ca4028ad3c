package io.maspush.gateway.pushconfig;

import java.io.IOException;
import java.net.Socket;
import java.security.cert.CertPathBuilderException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * The TLS step: a handshake with the push service over the connection the earlier steps
 * opened (directly or through the proxy's tunnel), checked as the gateway's HTTP client
 * checks it: the certificate must chain to the trust store and match the URL's host.
 */
final class TlsHandshake {

    private TlsHandshake() {
    }

    /**
     * Shake hands, then close the connection.
     * @param socket the connection to the push service, or the tunnel to it
     * @param route the route
     * @param timeout the time the handshake may take
     * @param factory the TLS socket factory, which brings the trust store
     * @return what the step found
     * @throws StepFailure if the handshake failed
     */
    static String perform(Socket socket, Route route, Duration timeout, SSLSocketFactory factory) throws StepFailure {
        String host = unbracketed(route.host());
        try (SSLSocket tls = (SSLSocket) factory.createSocket(socket, host, route.port(), true)) {
            SSLParameters parameters = tls.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            if (!isIpLiteral(host)) {
                // The JDK leaves SNI out for dot-less names; a virtual host may need it.
                parameters.setServerNames(List.of(new SNIHostName(host)));
            }
            tls.setSSLParameters(parameters);
            SSLSession session = Deadline.run("tls", timeout, () -> {
                tls.startHandshake();
                return tls.getSession();
            }, tls);
            X509Certificate certificate = (X509Certificate) session.getPeerCertificates()[0];
            return "TLS handshake with " + route.target() + " succeeded (" + session.getProtocol()
                    + "); certificate subject " + certificate.getSubjectX500Principal().getName() + ", valid until "
                    + certificate.getNotAfter().toInstant();
        }
        catch (TimeoutException ex) {
            throw new StepFailure("no TLS handshake with " + route.target() + " within " + timeout.toMillis() + " ms");
        }
        catch (SSLException ex) {
            throw new StepFailure(explain(ex, route, host));
        }
        catch (IOException ex) {
            throw new StepFailure(
                    "handshake failed: the connection to " + route.target() + " broke: " + Messages.describe(ex));
        }
    }

    private static String explain(SSLException ex, Route route, String host) {
        String certificate = "the certificate of " + route.target();
        if (causedBy(ex, CertificateExpiredException.class)) {
            return certificate + " has expired";
        }
        if (causedBy(ex, CertificateNotYetValidException.class)) {
            return certificate + " is not valid yet: is the gateway's clock right?";
        }
        if (causedBy(ex, CertPathBuilderException.class) || causedBy(ex, CertPathValidatorException.class)) {
            return "certificate not trusted: " + certificate + " is not issued by an authority in the gateway's"
                    + " trust store (a TLS-inspecting proxy or a private authority needs its root certificate"
                    + " added there)";
        }
        if (causedBy(ex, CertificateException.class) && String.valueOf(ex.getMessage()).contains("matching")) {
            return certificate + " does not match the host name " + host + ": " + Messages.describe(ex);
        }
        return "handshake failed: " + Messages.describe(ex);
    }

    private static boolean causedBy(Throwable ex, Class<? extends Throwable> type) {
        for (Throwable cause = ex; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }

    private static String unbracketed(String host) {
        return (host.startsWith("[") && host.endsWith("]")) ? host.substring(1, host.length() - 1) : host;
    }

    private static boolean isIpLiteral(String host) {
        return host.contains(":") || host.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    }

}
