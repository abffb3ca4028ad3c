import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A slow stand-in for the push service, for scripts/replicas-kill-test.sh: listens on
 * 127.0.0.1, appends each request's Idempotency-Key header to a log file as the request
 * arrives, waits, and answers 200.
 *
 * <pre>java scripts/SlowUpstream.java &lt;port&gt; &lt;delayMs&gt; &lt;logfile&gt;</pre>
 */
public final class SlowUpstream {

    private SlowUpstream() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: java scripts/SlowUpstream.java <port> <delayMs> <logfile>");
            System.exit(2);
        }
        int port = Integer.parseInt(args[0]);
        long delayMillis = Long.parseLong(args[1]);
        BufferedWriter log = Files.newBufferedWriter(Path.of(args[2]), StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 1024);
        server.setExecutor(Executors.newFixedThreadPool(256));
        server.createContext("/", (exchange) -> handle(exchange, delayMillis, log));
        server.start();
        System.out.println("SlowUpstream listening on 127.0.0.1:" + port + ", answering after " + delayMillis + " ms");
    }

    private static void handle(HttpExchange exchange, long delayMillis, BufferedWriter log) throws IOException {
        try (exchange) {
            try (InputStream body = exchange.getRequestBody()) {
                body.readAllBytes();
            }
            String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
            synchronized (log) {
                log.write((key != null) ? key : "-");
                log.newLine();
                log.flush();
            }
            try {
                Thread.sleep(delayMillis);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            byte[] answer = "{}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        }
    }

}
