package io.maspush.gateway.support;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.maspush.gateway.environment.ProxySettings;
import io.maspush.gateway.secret.Secret;

/**
 * A small forward HTTP proxy on a loopback port, for tests: it forwards absolute-form
 * requests ({@code POST http://localhost:1234/path HTTP/1.1}) and opens {@code CONNECT}
 * tunnels, optionally only for clients that send the right Basic credentials. It only
 * connects to loopback targets and answers anything else with 403, so no test can reach
 * beyond the machine through it.
 * <p>
 * Each forwarded exchange uses a connection of its own: the proxy asks the target for
 * {@code Connection: close}, tells the client the same, and relays bytes both ways until
 * the target closes. That needs no parsing of bodies, chunked or not.
 */
public final class TestHttpProxy implements Closeable {

    private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "[::1]", "::1");

    private static final Set<String> HOP_BY_HOP = Set.of("connection", "keep-alive", "proxy-connection",
            "proxy-authorization", "te", "trailer", "upgrade");

    private final ServerSocket server;

    private final String expectedAuthorization;

    private final AtomicInteger requests = new AtomicInteger();

    private final AtomicInteger tunnels = new AtomicInteger();

    private final AtomicInteger rejected = new AtomicInteger();

    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();

    private volatile boolean closed;

    private TestHttpProxy(String username, String password) throws IOException {
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.expectedAuthorization = (username != null) ? "Basic "
                + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8))
                : null;
        Thread acceptor = new Thread(this::accept, "test-proxy-accept-" + port());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /**
     * Start a proxy that lets every client through.
     * @return the running proxy
     */
    public static TestHttpProxy open() throws IOException {
        return new TestHttpProxy(null, null);
    }

    /**
     * Start a proxy that answers 407 unless the client sends these Basic credentials.
     * @param username the user
     * @param password the password
     * @return the running proxy
     */
    public static TestHttpProxy requiringCredentials(String username, String password) throws IOException {
        return new TestHttpProxy(username, password);
    }

    public String host() {
        return this.server.getInetAddress().getHostAddress();
    }

    public int port() {
        return this.server.getLocalPort();
    }

    /**
     * Settings that point at this proxy.
     * @param username the user, or {@code null}
     * @param password the password, or {@code null}
     * @return the settings
     */
    public ProxySettings settings(String username, String password) {
        return new ProxySettings(host(), port(), username, Secret.ofNullable(password));
    }

    /** Absolute-form requests forwarded to their target. */
    public int requests() {
        return this.requests.get();
    }

    /** {@code CONNECT} tunnels opened. */
    public int tunnels() {
        return this.tunnels.get();
    }

    /** Requests and tunnels answered with 407. */
    public int rejected() {
        return this.rejected.get();
    }

    @Override
    public void close() throws IOException {
        this.closed = true;
        this.server.close();
        for (Socket socket : this.sockets) {
            closeQuietly(socket);
        }
    }

    private void accept() {
        while (!this.closed) {
            try {
                Socket client = this.server.accept();
                this.sockets.add(client);
                Thread handler = new Thread(() -> handle(client), "test-proxy-" + client.getPort());
                handler.setDaemon(true);
                handler.start();
            }
            catch (IOException ex) {
                // The server socket was closed: the proxy is shutting down.
            }
        }
    }

    private void handle(Socket client) {
        try (client) {
            InputStream in = new BufferedInputStream(client.getInputStream());
            List<String> head = readHead(in);
            if (head.isEmpty()) {
                return;
            }
            String[] requestLine = head.get(0).split(" ");
            if (requestLine.length != 3) {
                refuse(client, in, "400 Bad Request", "");
                return;
            }
            if (this.expectedAuthorization != null
                    && !this.expectedAuthorization.equals(header(head, "proxy-authorization"))) {
                this.rejected.incrementAndGet();
                refuse(client, in, "407 Proxy Authentication Required", "Proxy-Authenticate: Basic realm=\"test\"\r\n");
                return;
            }
            if (requestLine[0].equals("CONNECT")) {
                tunnel(client, in, requestLine[1]);
            }
            else {
                forward(client, in, requestLine, head);
            }
        }
        catch (IOException ex) {
            // One side hung up; the exchange is over.
        }
        finally {
            this.sockets.remove(client);
        }
    }

    private void tunnel(Socket client, InputStream in, String authority) throws IOException {
        int colon = authority.lastIndexOf(':');
        Socket target = connect(client, in, authority.substring(0, colon),
                Integer.parseInt(authority.substring(colon + 1)));
        if (target == null) {
            return;
        }
        try (target) {
            this.tunnels.incrementAndGet();
            write(client.getOutputStream(), "HTTP/1.1 200 Connection established\r\n\r\n");
            copyToTarget(client, in, target);
            copyToClient(client, target, target.getInputStream());
        }
    }

    private void forward(Socket client, InputStream in, String[] requestLine, List<String> head) throws IOException {
        URI uri = URI.create(requestLine[1]);
        if (!"http".equals(uri.getScheme())) {
            refuse(client, in, "400 Bad Request", "");
            return;
        }
        Socket target = connect(client, in, uri.getHost(), (uri.getPort() != -1) ? uri.getPort() : 80);
        if (target == null) {
            return;
        }
        try (target) {
            this.requests.incrementAndGet();
            String path = (uri.getRawQuery() != null) ? uri.getRawPath() + "?" + uri.getRawQuery() : uri.getRawPath();
            write(target.getOutputStream(),
                    requestLine[0] + " " + path + " " + requestLine[2] + "\r\n" + endToEnd(head) + "\r\n");
            copyToTarget(client, in, target);
            InputStream fromTarget = new BufferedInputStream(target.getInputStream());
            List<String> answer = readHead(fromTarget);
            if (!answer.isEmpty()) {
                write(client.getOutputStream(), answer.get(0) + "\r\n" + endToEnd(answer) + "\r\n");
            }
            copyToClient(client, target, fromTarget);
        }
    }

    /**
     * The head's header lines without the hop-by-hop ones, ending with
     * {@code Connection: close}.
     */
    private static String endToEnd(List<String> head) {
        StringBuilder headers = new StringBuilder();
        for (String line : head.subList(1, head.size())) {
            String name = line.substring(0, Math.max(line.indexOf(':'), 0)).strip().toLowerCase(Locale.ROOT);
            if (!HOP_BY_HOP.contains(name)) {
                headers.append(line).append("\r\n");
            }
        }
        return headers.append("Connection: close\r\n").toString();
    }

    private Socket connect(Socket client, InputStream in, String host, int port) throws IOException {
        if (!LOOPBACK.contains(host.toLowerCase(Locale.ROOT))) {
            refuse(client, in, "403 Forbidden", "");
            return null;
        }
        try {
            Socket target = new Socket(host.replace("[", "").replace("]", ""), port);
            this.sockets.add(target);
            return target;
        }
        catch (IOException ex) {
            refuse(client, in, "502 Bad Gateway", "");
            return null;
        }
    }

    /**
     * Copy what the client sends (a request body, TLS records) to the target, on a thread
     * of its own, until the client stops sending.
     */
    private static void copyToTarget(Socket client, InputStream fromClient, Socket target) {
        Thread copier = new Thread(() -> {
            try {
                fromClient.transferTo(target.getOutputStream());
                target.shutdownOutput();
            }
            catch (IOException ex) {
                // The client or the target closed: the copy to the client ends the
                // exchange.
            }
        }, "test-proxy-upstream-" + client.getPort());
        copier.setDaemon(true);
        copier.start();
    }

    /**
     * Copy what the target answers to the client until the target closes, then close both
     * sides.
     */
    private void copyToClient(Socket client, Socket target, InputStream fromTarget) {
        try {
            fromTarget.transferTo(client.getOutputStream());
        }
        catch (IOException ex) {
            // Either side closed; both are closed below.
        }
        finally {
            closeQuietly(target);
            closeQuietly(client);
            this.sockets.remove(target);
        }
    }

    /**
     * Answer with an error and close after the client has read it. Closing at once, with
     * an unread request body still arriving, would reset the connection and could destroy
     * the answer before the client reads it.
     */
    private static void refuse(Socket client, InputStream in, String status, String headers) throws IOException {
        write(client.getOutputStream(),
                "HTTP/1.1 " + status + "\r\n" + headers + "Content-Length: 0\r\nConnection: close\r\n\r\n");
        client.shutdownOutput();
        client.setSoTimeout(2000);
        try {
            in.transferTo(OutputStream.nullOutputStream());
        }
        catch (SocketTimeoutException ex) {
            // The client keeps the connection open; closing it now is safe enough.
        }
    }

    private static List<String> readHead(InputStream in) throws IOException {
        List<String> lines = new ArrayList<>();
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int next;
        while ((next = in.read()) != -1) {
            if (next != '\n') {
                line.write(next);
                continue;
            }
            String text = line.toString(StandardCharsets.ISO_8859_1).replace("\r", "");
            line.reset();
            if (text.isEmpty()) {
                return lines;
            }
            lines.add(text);
        }
        return List.of();
    }

    private static String header(List<String> head, String name) {
        for (String line : head.subList(1, head.size())) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).strip().equalsIgnoreCase(name)) {
                return line.substring(colon + 1).strip();
            }
        }
        return null;
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        }
        catch (IOException ex) {
            // Closing is all that is left to do with it.
        }
    }

}
