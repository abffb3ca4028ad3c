package io.maspush.gateway.notification;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Builds a {@link NotificationRepository} outside a Spring context, and notifications to
 * put in it, for tests in other packages that prepare a database directly.
 */
public final class NotificationFixtures {

    private NotificationFixtures() {
    }

    /**
     * A repository on a data source, with its own transaction manager.
     * @param dataSource the database, already migrated
     * @return the repository
     */
    public static NotificationRepository repository(DataSource dataSource) {
        return new NotificationRepository(new NamedParameterJdbcTemplate(dataSource), transactions(dataSource),
                new ObjectMapper().registerModule(new JavaTimeModule()), dataSource);
    }

    public static TransactionTemplate transactions(DataSource dataSource) {
        return new TransactionTemplate(new DataSourceTransactionManager(dataSource));
    }

    /**
     * A new queued notification of the {@code default} environment that has never been
     * attempted.
     * @param clientId the client that sent it
     * @param due when its first attempt is due
     * @param timeToLive how long after {@code due} it expires
     * @return the notification
     */
    public static Notification queued(String clientId, Instant due, Duration timeToLive) {
        return new Notification(UUID.randomUUID(), clientId, "default", NotificationStatus.QUEUED, List.of("WILSON"),
                "Work order 1042 assigned", "Pump P-100 leaks", null, Priority.NORMAL, null, 0, null, due, due, null,
                due.plus(timeToLive), due, null, null);
    }

}
