package io.maspush.gateway.pushconfig;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ProtocolException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.maspush.gateway.environment.ProxySettings;

/**
 * The proxy step: asks the proxy for a tunnel to the push service with {@code CONNECT},
 * as the gateway's HTTP client does before it speaks TLS through the proxy, and sends the
 * proxy credentials the same way, preemptively. For an {@code http://} URL (a local
 * stand-in only) the client would not ask for a tunnel; the check still does, and some
 * proxies allow tunnels to port 443 only.
 */
final class ProxyTunnel {

    private static final Pattern STATUS_LINE = Pattern.compile("HTTP/1\\.[01] (\\d{3})(?: (.*))?");

    private static final int MAX_HEAD_BYTES = 8192;

    private ProxyTunnel() {
    }

    /**
     * Open the tunnel over a socket connected to the proxy.
     * @param socket the connection to the proxy
     * @param route the route, with a proxy
     * @param timeout the time the proxy has to answer
     * @return what the step found
     * @throws StepFailure if the proxy did not open the tunnel
     */
    static String open(Socket socket, Route route, Duration timeout) throws StepFailure {
        String proxy = "the proxy " + route.proxy();
        String connect = "CONNECT " + route.target();
        try {
            String statusLine = Deadline.run("proxy", timeout, () -> exchange(socket, route), socket);
            Matcher status = STATUS_LINE.matcher(statusLine);
            if (!status.matches()) {
                throw new ProtocolException(statusLine);
            }
            return answer(route, Integer.parseInt(status.group(1)), Messages.clean(statusLine));
        }
        catch (TimeoutException ex) {
            throw new StepFailure(proxy + " did not answer " + connect + " within " + timeout.toMillis() + " ms");
        }
        catch (ProtocolException ex) {
            throw new StepFailure(
                    proxy + " did not answer " + connect + " with HTTP: is " + route.proxy() + " an HTTP proxy?");
        }
        catch (IOException ex) {
            throw new StepFailure(proxy + " closed the connection during " + connect + ": " + Messages.describe(ex));
        }
    }

    private static String answer(Route route, int status, String statusLine) throws StepFailure {
        ProxySettings proxy = route.proxy();
        if (status == 200) {
            return "the proxy " + proxy + " opened a tunnel to " + route.target();
        }
        if (status == 407) {
            throw new StepFailure("the proxy " + proxy + " refused the credentials (HTTP 407): "
                    + (proxy.hasCredentials() ? "check the proxy user and password"
                            : "it requires a user and password, and none is configured"));
        }
        String answered = "the proxy " + proxy + " answered \"" + statusLine + "\" to CONNECT " + route.target();
        if (status == 403) {
            throw new StepFailure(answered + ": does it allow HTTPS to " + route.host() + "?");
        }
        if (status == 502 || status == 503 || status == 504) {
            throw new StepFailure(answered + ": the proxy cannot reach " + route.target());
        }
        throw new StepFailure(answered);
    }

    private static String exchange(Socket socket, Route route) throws IOException {
        StringBuilder request = new StringBuilder().append("CONNECT ")
            .append(route.target())
            .append(" HTTP/1.1\r\nHost: ")
            .append(route.target())
            .append("\r\n");
        if (route.proxy().hasCredentials()) {
            request.append("Proxy-Authorization: ").append(basic(route.proxy())).append("\r\n");
        }
        request.append("\r\n");
        OutputStream out = socket.getOutputStream();
        out.write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return readStatusLine(socket.getInputStream());
    }

    /**
     * Read the head of the proxy's answer, one byte at a time so that nothing of the
     * tunnel after it is consumed, and return its first line.
     */
    private static String readStatusLine(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int next = in.read();
            if (next == -1) {
                throw new EOFException("the proxy closed the connection without an answer");
            }
            head.write(next);
            if (head.size() > MAX_HEAD_BYTES) {
                throw new ProtocolException("answer head too long");
            }
            matched = (next == "\r\n\r\n".charAt(matched)) ? matched + 1 : ((next == '\r') ? 1 : 0);
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        return text.substring(0, text.indexOf("\r\n"));
    }

    private static String basic(ProxySettings proxy) {
        String credentials = proxy.username() + ":" + proxy.password().reveal();
        return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    }

}
