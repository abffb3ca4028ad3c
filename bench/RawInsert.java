import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Stream;

/**
 * The reference for the gateway's accept rate: the row the gateway stores for an accepted notification, inserted with
 * plain JDBC, one autocommit insert per row, from N threads with a connection each:
 * {@code java -cp DRIVERS RawInsert.java url=JDBC_URL [user=sa] [password=] threads=N duration=SECONDS
 * [warmup=SECONDS] schema=MIGRATIONS_DIR}.
 *
 * <p>When the database has no {@code notification} table yet, the gateway's Flyway migrations in {@code schema}
 * ({@code V<n>__*.sql}, in version order) create it. The row has the same columns and values as
 * {@code NotificationRepository.insert} writes for a notification accepted with a free worker (already claimed:
 * lease owner and lease end set). Inserts during the warm-up are not counted.
 *
 * <p>Prints {@code key=value} lines: rows, errors, rate (rows per second), p50, p99 and max insert-and-commit time in
 * milliseconds.
 */
public class RawInsert {

    private static final String INSERT = """
            insert into notification (id, client_id, environment, status, recipients, title, body, category,
                priority, data, idempotency_key, request_hash, attempts, last_error, created_at, updated_at,
                delivered_at, expires_at, next_attempt_at, lease_owner, lease_until, api, payload,
                payload_key_offsets, callback_url)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """;

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (String arg : args) {
            int equals = arg.indexOf('=');
            options.put(arg.substring(0, equals), arg.substring(equals + 1));
        }
        String url = options.get("url");
        String user = options.getOrDefault("user", "sa");
        String password = options.getOrDefault("password", "");
        int threads = Integer.parseInt(options.getOrDefault("threads", "16"));
        double duration = Double.parseDouble(options.getOrDefault("duration", "10"));
        double warmup = Double.parseDouble(options.getOrDefault("warmup", "2"));

        try (Connection connection = DriverManager.getConnection(url, user, password)) {
            if (!hasTable(connection)) {
                migrate(connection, Path.of(options.get("schema")));
            }
        }

        long warmupEnd = System.nanoTime() + (long) (warmup * 1e9);
        long end = warmupEnd + (long) (duration * 1e9);
        LongAdder errors = new LongAdder();
        List<Timings> timings = new ArrayList<>();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Timings times = new Timings();
            timings.add(times);
            Connection connection = DriverManager.getConnection(url, user, password);
            connection.setAutoCommit(true);
            Thread worker = new Thread(() -> {
                try (connection; PreparedStatement insert = connection.prepareStatement(INSERT)) {
                    for (long now = System.nanoTime(); now < end; now = System.nanoTime()) {
                        try {
                            bind(insert);
                            insert.executeUpdate();
                            if (now >= warmupEnd) {
                                times.add(System.nanoTime() - now);
                            }
                        }
                        catch (SQLException ex) {
                            errors.increment();
                        }
                    }
                }
                catch (SQLException ex) {
                    errors.increment();
                }
            }, "raw-insert-" + t);
            worker.start();
            workers.add(worker);
        }
        for (Thread worker : workers) {
            worker.join();
        }

        long[] all = timings.stream()
            .flatMapToLong((times) -> Arrays.stream(times.nanos, 0, times.count))
            .sorted()
            .toArray();
        long rows = all.length;
        System.out.println("rows=" + rows);
        System.out.println("errors=" + errors.sum());
        System.out.printf("rate=%.1f%n", rows / duration);
        System.out.println("p50=" + millis(all, 50));
        System.out.println("p99=" + millis(all, 99));
        System.out.println("max=" + millis(all, 100));
        if (rows == 0) {
            System.exit(1);
        }
    }

    private static void bind(PreparedStatement insert) throws SQLException {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        int i = 0;
        insert.setObject(++i, UUID.randomUUID());
        insert.setString(++i, "bench");
        insert.setString(++i, "default");
        insert.setString(++i, "QUEUED");
        insert.setString(++i, "[\"WILSON\"]");
        insert.setString(++i, "Work order 1042 assigned");
        insert.setString(++i, "Pump P-100 leaks");
        insert.setNull(++i, Types.VARCHAR);
        insert.setString(++i, "NORMAL");
        insert.setNull(++i, Types.VARCHAR);
        insert.setNull(++i, Types.VARCHAR);
        insert.setNull(++i, Types.VARCHAR);
        insert.setInt(++i, 0);
        insert.setNull(++i, Types.VARCHAR);
        insert.setObject(++i, utc(now));
        insert.setObject(++i, utc(now));
        insert.setNull(++i, Types.TIMESTAMP_WITH_TIMEZONE);
        insert.setObject(++i, utc(now.plus(Duration.ofHours(24))));
        insert.setObject(++i, utc(now));
        insert.setString(++i, "raw-insert");
        insert.setObject(++i, utc(now.plus(Duration.ofSeconds(60))));
        insert.setString(++i, "native");
        insert.setNull(++i, Types.VARCHAR);
        insert.setNull(++i, Types.VARCHAR);
        insert.setNull(++i, Types.VARCHAR);
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static boolean hasTable(Connection connection) throws SQLException {
        DatabaseMetaData metadata = connection.getMetaData();
        for (String name : List.of("notification", "NOTIFICATION")) {
            try (ResultSet tables = metadata.getTables(null, null, name, null)) {
                if (tables.next()) {
                    return true;
                }
            }
        }
        return false;
    }

    private static void migrate(Connection connection, Path migrations) throws Exception {
        List<Path> scripts;
        try (Stream<Path> files = Files.list(migrations)) {
            scripts = files.filter((file) -> file.getFileName().toString().matches("V\\d+__.*\\.sql"))
                .sorted(Comparator.comparingInt(RawInsert::version))
                .toList();
        }
        try (Statement statement = connection.createStatement()) {
            for (Path script : scripts) {
                StringBuilder sql = new StringBuilder();
                for (String line : Files.readAllLines(script)) {
                    if (!line.strip().startsWith("--")) {
                        sql.append(line).append('\n');
                    }
                }
                for (String command : sql.toString().split(";")) {
                    if (!command.isBlank()) {
                        statement.execute(command);
                    }
                }
            }
        }
    }

    private static int version(Path script) {
        String name = script.getFileName().toString();
        return Integer.parseInt(name.substring(1, name.indexOf("__")));
    }

    private static String millis(long[] sorted, double percent) {
        if (sorted.length == 0) {
            return "";
        }
        int index = Math.max(0, Math.min(sorted.length - 1, (int) Math.ceil(percent / 100 * sorted.length) - 1));
        return String.format("%.3f", sorted[index] / 1e6);
    }

    /**
     * One thread's insert times, in nanoseconds.
     */
    private static final class Timings {

        private long[] nanos = new long[65536];

        private int count;

        void add(long took) {
            if (this.count == this.nanos.length) {
                this.nanos = Arrays.copyOf(this.nanos, this.count * 2);
            }
            this.nanos[this.count++] = took;
        }

    }

}
