import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * Open-loop HTTP/1.1 load at a constant rate, JDK only: {@code java RateLoad.java url=URL rate=PER_SECOND
 * duration=SECONDS connections=N body=FILE header='Name: value'... [method=POST] [timeout=SECONDS] [grace=SECONDS]}.
 *
 * <p>Request {@code i} is due at {@code start + i / rate}. Each of the bounded number of keep-alive connections takes
 * the next due request, waits for its time if it is early, sends it and reads the whole answer. Latency is measured
 * from the request's scheduled time, not from when a connection became free to send it, so a server that falls
 * behind shows its queueing in the percentiles instead of hiding it (coordinated omission). Requests still unsent
 * {@code grace} seconds after the schedule ended are counted as {@code unsent}.
 *
 * <p>Prints {@code key=value} lines: requests (scheduled), count (answered or failed), ok (2xx), errors_status
 * (other statuses), errors_io (connection failures, timeouts), unsent, rate (completions per second over the run),
 * p50, p90, p99, p999 and max in milliseconds over every request that was sent, and statuses (code:count).
 */
public class RateLoad {

    public static void main(String[] args) throws Exception {
        Map<String, List<String>> options = parse(args);
        URI url = URI.create(required(options, "url"));
        double rate = Double.parseDouble(required(options, "rate"));
        double duration = Double.parseDouble(option(options, "duration", "10"));
        int connections = Integer.parseInt(option(options, "connections", "32"));
        int timeoutMillis = (int) (Double.parseDouble(option(options, "timeout", "10")) * 1000);
        double grace = Double.parseDouble(option(options, "grace", "10"));
        byte[] request = request(option(options, "method", "POST"), url, options.getOrDefault("header", List.of()),
                options.containsKey("body") ? Files.readAllBytes(Path.of(required(options, "body"))) : new byte[0]);

        int total = (int) Math.round(rate * duration);
        long[] latencies = new long[total];
        Arrays.fill(latencies, -1);
        AtomicLong next = new AtomicLong();
        LongAdder ok = new LongAdder();
        LongAdder statusErrors = new LongAdder();
        LongAdder ioErrors = new LongAdder();
        AtomicLong lastCompletion = new AtomicLong();
        Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
        Map<String, LongAdder> failures = new ConcurrentHashMap<>();
        // A short lead so that every connection is open before the first request is due.
        long start = System.nanoTime() + 200_000_000L;
        long sendUntil = start + (long) ((duration + grace) * 1e9);

        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            Thread thread = new Thread(() -> {
                Connection connection = null;
                try {
                    connection = new Connection(url, timeoutMillis);
                }
                catch (IOException ex) {
                    // connected on the first request instead
                }
                for (long i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
                    long scheduled = start + (long) (i * 1e9 / rate);
                    long now;
                    while ((now = System.nanoTime()) < scheduled) {
                        LockSupport.parkNanos(scheduled - now);
                    }
                    if (now > sendUntil) {
                        continue; // reported as unsent
                    }
                    try {
                        if (connection == null) {
                            connection = new Connection(url, timeoutMillis);
                        }
                        int status = connection.exchange(request);
                        latencies[(int) i] = System.nanoTime() - scheduled;
                        statuses.computeIfAbsent(status, (code) -> new LongAdder()).increment();
                        ((status >= 200 && status < 300) ? ok : statusErrors).increment();
                        if (!connection.keepAlive) {
                            connection.close();
                            connection = null;
                        }
                    }
                    catch (IOException ex) {
                        latencies[(int) i] = System.nanoTime() - scheduled;
                        ioErrors.increment();
                        failures.computeIfAbsent(ex.getClass().getSimpleName() + ": " + ex.getMessage(),
                                (key) -> new LongAdder()).increment();
                        if (connection != null) {
                            connection.close();
                            connection = null;
                        }
                    }
                    lastCompletion.accumulateAndGet(System.nanoTime(), Math::max);
                }
                if (connection != null) {
                    connection.close();
                }
            }, "rate-load-" + c);
            thread.setDaemon(true);
            thread.start();
            threads.add(thread);
        }
        long joinBy = sendUntil + timeoutMillis * 1_000_000L + 1_000_000_000L;
        for (Thread thread : threads) {
            thread.join(Math.max(1, (joinBy - System.nanoTime()) / 1_000_000));
        }

        long[] sent = Arrays.stream(latencies).filter((latency) -> latency >= 0).sorted().toArray();
        long count = ok.sum() + statusErrors.sum() + ioErrors.sum();
        double seconds = Math.max(duration, (lastCompletion.get() - start) / 1e9);
        StringBuilder out = new StringBuilder();
        out.append("requests=").append(total).append('\n');
        out.append("count=").append(count).append('\n');
        out.append("ok=").append(ok.sum()).append('\n');
        out.append("errors_status=").append(statusErrors.sum()).append('\n');
        out.append("errors_io=").append(ioErrors.sum()).append('\n');
        out.append("unsent=").append(total - count).append('\n');
        out.append(String.format("rate=%.1f%n", count / seconds));
        out.append("p50=").append(millis(percentile(sent, 50))).append('\n');
        out.append("p90=").append(millis(percentile(sent, 90))).append('\n');
        out.append("p99=").append(millis(percentile(sent, 99))).append('\n');
        out.append("p999=").append(millis(percentile(sent, 99.9))).append('\n');
        out.append("max=").append(millis((sent.length > 0) ? sent[sent.length - 1] : -1)).append('\n');
        StringBuilder codes = new StringBuilder();
        new TreeMap<>(statuses).forEach((code, n) -> codes.append(codes.isEmpty() ? "" : ",").append(code)
            .append(':')
            .append(n.sum()));
        out.append("statuses=").append(codes).append('\n');
        failures.forEach((failure, n) -> out.append("# ").append(n.sum()).append(" x ").append(failure).append('\n'));
        System.out.print(out);
        if (count == 0) {
            System.exit(1);
        }
    }

    private static long percentile(long[] sorted, double percent) {
        if (sorted.length == 0) {
            return -1;
        }
        int index = (int) Math.ceil(percent / 100 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static String millis(long nanos) {
        return (nanos < 0) ? "" : String.format("%.3f", nanos / 1e6);
    }

    private static byte[] request(String method, URI url, List<String> headers, byte[] body) {
        StringBuilder head = new StringBuilder();
        String path = (url.getRawPath().isEmpty() ? "/" : url.getRawPath())
                + ((url.getRawQuery() != null) ? "?" + url.getRawQuery() : "");
        head.append(method).append(' ').append(path).append(" HTTP/1.1\r\n");
        head.append("Host: ").append(url.getHost()).append(':').append(port(url)).append("\r\n");
        for (String header : headers) {
            head.append(header).append("\r\n");
        }
        if (body.length > 0 || !method.equals("GET")) {
            head.append("Content-Length: ").append(body.length).append("\r\n");
        }
        head.append("\r\n");
        byte[] headBytes = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] request = Arrays.copyOf(headBytes, headBytes.length + body.length);
        System.arraycopy(body, 0, request, headBytes.length, body.length);
        return request;
    }

    private static int port(URI url) {
        return (url.getPort() > 0) ? url.getPort() : 80;
    }

    private static Map<String, List<String>> parse(String[] args) {
        Map<String, List<String>> options = new HashMap<>();
        for (String arg : args) {
            int equals = arg.indexOf('=');
            if (equals < 1) {
                throw new IllegalArgumentException("Arguments are key=value, not " + arg);
            }
            options.computeIfAbsent(arg.substring(0, equals), (key) -> new ArrayList<>())
                .add(arg.substring(equals + 1));
        }
        return options;
    }

    private static String option(Map<String, List<String>> options, String key, String fallback) {
        List<String> values = options.get(key);
        return (values != null) ? values.get(values.size() - 1) : fallback;
    }

    private static String required(Map<String, List<String>> options, String key) {
        String value = option(options, key, null);
        if (value == null) {
            throw new IllegalArgumentException("Missing " + key + "=...");
        }
        return value;
    }

    /**
     * One keep-alive HTTP/1.1 connection that reads answers with a Content-Length or chunked.
     */
    private static final class Connection {

        private final Socket socket;

        private final InputStream in;

        private final OutputStream out;

        private boolean keepAlive;

        Connection(URI url, int timeoutMillis) throws IOException {
            this.socket = new Socket();
            this.socket.setTcpNoDelay(true);
            this.socket.setSoTimeout(timeoutMillis);
            this.socket.connect(new InetSocketAddress(url.getHost(), port(url)), timeoutMillis);
            this.in = new BufferedInputStream(this.socket.getInputStream(), 16384);
            this.out = this.socket.getOutputStream();
        }

        int exchange(byte[] request) throws IOException {
            this.out.write(request);
            this.out.flush();
            String statusLine = line();
            if (!statusLine.startsWith("HTTP/1.")) {
                throw new IOException("not an HTTP answer: " + statusLine);
            }
            int status = Integer.parseInt(statusLine.substring(9, 12));
            long length = 0;
            boolean chunked = false;
            this.keepAlive = statusLine.startsWith("HTTP/1.1");
            for (String header = line(); !header.isEmpty(); header = line()) {
                String lower = header.toLowerCase();
                if (lower.startsWith("content-length:")) {
                    length = Long.parseLong(lower.substring(15).trim());
                }
                else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunked = true;
                }
                else if (lower.startsWith("connection:")) {
                    this.keepAlive = lower.contains("keep-alive");
                }
            }
            if (chunked) {
                for (long size = chunkSize(); size > 0; size = chunkSize()) {
                    skip(size);
                    line();
                }
                for (String trailer = line(); !trailer.isEmpty(); trailer = line()) {
                    // trailers are read and dropped
                }
            }
            else {
                skip(length);
            }
            return status;
        }

        private long chunkSize() throws IOException {
            String size = line();
            int extension = size.indexOf(';');
            return Long.parseLong((extension >= 0) ? size.substring(0, extension).trim() : size.trim(), 16);
        }

        private void skip(long count) throws IOException {
            for (long left = count; left > 0;) {
                long skipped = this.in.skip(left);
                if (skipped <= 0) {
                    if (this.in.read() < 0) {
                        throw new IOException("connection closed in the middle of an answer");
                    }
                    skipped = 1;
                }
                left -= skipped;
            }
        }

        private String line() throws IOException {
            StringBuilder line = new StringBuilder();
            for (int b = this.in.read(); b != '\n'; b = this.in.read()) {
                if (b < 0) {
                    throw new IOException("connection closed by the server");
                }
                if (b != '\r') {
                    line.append((char) b);
                }
            }
            return line.toString();
        }

        void close() {
            try {
                this.socket.close();
            }
            catch (IOException ex) {
                // nothing left to do with a broken connection
            }
        }

    }

}
