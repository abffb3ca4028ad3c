package io.maspush.gateway.pushconfig;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.maspush.gateway.environment.PushEnvironment;
import io.maspush.gateway.environment.PushEnvironment.Field;
import io.maspush.gateway.environment.PushEnvironmentChanged;
import io.maspush.gateway.environment.PushEnvironments;
import io.maspush.gateway.environment.PushEnvironments.Change;
import io.maspush.gateway.environment.PushOverrides;
import io.maspush.gateway.environment.PushSettings;
import io.maspush.gateway.environment.SecretFiles;
import io.maspush.gateway.pushconfig.PushConfigRepository.AuditEntry;
import io.maspush.gateway.pushconfig.PushConfigRepository.StoredPushConfig;
import io.maspush.gateway.secret.Secret;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Keeps every environment's settings in step with their sources: at startup it applies
 * what administrators stored (failing fast if {@code GATEWAY_ENCRYPTION_KEY} cannot
 * decrypt it) and records in the audit trail whatever the configuration changed since the
 * last start; then, every {@code gateway.push-config.refresh-interval}, it re-reads key
 * files and picks up changes other replicas stored. The polling runs beside deliveries,
 * never on their path.
 */
@Component
public class PushConfigSynchroniser implements SmartLifecycle {

    private static final Logger logger = LoggerFactory.getLogger(PushConfigSynchroniser.class);

    static final String CONFIG = "config";

    static final String FILE = "file";

    private final PushEnvironments environments;

    private final PushConfigRepository repository;

    private final ApiKeyCipher cipher;

    private final ApplicationEventPublisher events;

    private final TransactionTemplate transactions;

    private final Clock clock;

    private final Duration refreshInterval;

    private final AtomicLong knownVersion = new AtomicLong();

    private final Map<String, KeyRecord> keys = new ConcurrentHashMap<>();

    private final Map<String, String> fileFingerprints = new ConcurrentHashMap<>();

    private volatile ScheduledExecutorService scheduler;

    PushConfigSynchroniser(PushEnvironments environments, PushConfigRepository repository, ApiKeyCipher cipher,
            ApplicationEventPublisher events, TransactionTemplate transactions, Clock clock,
            @Value("${gateway.push-config.refresh-interval:5s}") Duration refreshInterval) {
        this.environments = environments;
        this.repository = repository;
        this.cipher = cipher;
        this.events = events;
        this.transactions = transactions;
        this.clock = clock;
        this.refreshInterval = refreshInterval;
        for (String name : environments.names()) {
            recordSourceChanges(name);
        }
        applyStored(repository.findAll(), false);
        environments.names().forEach(this::refreshKeyRecord);
    }

    /**
     * When and by whom the key an environment now uses was set.
     * @param environment the environment
     * @return the record, or empty when the environment has no key
     */
    Optional<KeyRecord> keyRecord(String environment) {
        return Optional.ofNullable(this.keys.get(environment));
    }

    void refreshKeyRecord(String environment) {
        Secret key = this.environments.get(environment).settings().apiKey();
        if (key == null) {
            this.keys.remove(environment);
            return;
        }
        String fingerprint = key.fingerprint();
        KeyRecord record = this.repository.lastKeyChange(environment, fingerprint)
            .map((entry) -> new KeyRecord(fingerprint, entry.changedAt(), entry.changedBy()))
            .orElseGet(() -> new KeyRecord(fingerprint, this.clock.instant(), "unknown"));
        this.keys.put(environment, record);
    }

    /**
     * Re-read key files and pick up what other replicas stored.
     */
    void refresh() {
        try {
            for (String name : this.environments.names()) {
                this.environments.keyFile(name).ifPresent((file) -> rereadKeyFile(name, file));
            }
            applyStored(this.repository.findNewerThan(this.knownVersion.get()), true);
        }
        catch (RuntimeException ex) {
            logger.warn("Refreshing push settings failed; trying again in {} ms", this.refreshInterval.toMillis(), ex);
        }
    }

    void noteVersion(long version) {
        this.knownVersion.accumulateAndGet(version, Math::max);
    }

    private void rereadKeyFile(String name, Path file) {
        Secret key;
        try {
            key = SecretFiles.read(file, this.environments.propertyPrefix(name) + ".api-key-file");
        }
        catch (IllegalArgumentException ex) {
            logger.warn("Key file of environment {} cannot be read; keeping the key read before: {}", name,
                    ex.getMessage());
            return;
        }
        String fingerprint = (key != null) ? key.fingerprint() : "";
        if (fingerprint.equals(this.fileFingerprints.get(name))) {
            return;
        }
        Change change = this.environments.applyFileKey(name, key);
        this.transactions.executeWithoutResult((status) -> recordSourceChanges(name));
        if (!change.isEmpty()) {
            logger.info("Environment {} now uses the key from its key file (fingerprint {})", name,
                    (key != null) ? key.fingerprint() : "none");
            refreshKeyRecord(name);
            this.events.publishEvent(new PushEnvironmentChanged(name, change.fields(), FILE));
        }
    }

    private void applyStored(List<StoredPushConfig> stored, boolean announce) {
        for (StoredPushConfig config : stored) {
            if (this.environments.find(config.environment()).isEmpty()) {
                logger.warn("Stored push settings for environment {} are ignored: it is not configured",
                        config.environment());
                continue;
            }
            Secret key = (config.apiKeyCiphertext() != null)
                    ? this.cipher.decrypt(config.environment(), config.apiKeyCiphertext()) : null;
            Change change = this.environments.applyOverrides(config.environment(),
                    new PushOverrides(config.bundleId(), config.url(), config.apiKeyHeader(), config.proxy(), key));
            noteVersion(config.version());
            if (announce && !change.isEmpty()) {
                refreshKeyRecord(config.environment());
                this.events.publishEvent(new PushEnvironmentChanged(config.environment(), change.fields(), "replica"));
            }
        }
    }

    /**
     * Compare what the configuration and the key file say now with what they said last
     * time, and record any difference in the audit trail as a change by {@code config} or
     * {@code file}.
     */
    private void recordSourceChanges(String name) {
        PushEnvironment configured = this.environments.configured(name);
        recordSourceChange(name, CONFIG, snapshot(configured.settings()));
        if (this.environments.keyFile(name).isPresent()) {
            Secret fileKey = this.environments.keyFile(name).map((file) -> readQuietly(name, file)).orElse(null);
            this.fileFingerprints.put(name, (fileKey != null) ? fileKey.fingerprint() : "");
            Map<String, String> fileSnapshot = new LinkedHashMap<>();
            fileSnapshot.put(Field.apiKey.name(), (fileKey != null) ? fileKey.fingerprint() : "");
            recordSourceChange(name, FILE, fileSnapshot);
        }
    }

    private Secret readQuietly(String name, Path file) {
        try {
            return SecretFiles.read(file, this.environments.propertyPrefix(name) + ".api-key-file");
        }
        catch (IllegalArgumentException ex) {
            return null;
        }
    }

    private void recordSourceChange(String name, String source, Map<String, String> now) {
        Map<String, String> before = this.repository.baseline(name, source)
            .map(PushConfigSynchroniser::parse)
            .orElse(Map.of());
        List<String> fields = new ArrayList<>();
        for (Map.Entry<String, String> entry : now.entrySet()) {
            if (!Objects.equals(before.getOrDefault(entry.getKey(), ""), entry.getValue())) {
                fields.add(entry.getKey());
            }
        }
        if (fields.isEmpty()) {
            return;
        }
        String oldKey = emptyToNull(before.get(Field.apiKey.name()));
        String newKey = emptyToNull(now.get(Field.apiKey.name()));
        this.repository.audit(new AuditEntry(name, this.clock.instant(), source, fields, oldKey, newKey));
        this.repository.saveBaseline(name, source, format(now));
    }

    private static Map<String, String> snapshot(PushSettings settings) {
        Map<String, String> snapshot = new LinkedHashMap<>();
        snapshot.put(Field.bundleId.name(), settings.bundleId());
        snapshot.put(Field.url.name(), settings.url().toString());
        snapshot.put(Field.apiKeyHeader.name(), settings.apiKeyHeader());
        snapshot.put(Field.proxy.name(), (settings.proxy() != null) ? settings.proxy().toString() : "");
        snapshot.put(Field.apiKey.name(), (settings.apiKey() != null) ? settings.apiKey().fingerprint() : "");
        return snapshot;
    }

    private static String format(Map<String, String> snapshot) {
        StringBuilder text = new StringBuilder();
        snapshot.forEach((key, value) -> text.append(key).append('=').append(value).append('\n'));
        return text.toString();
    }

    private static Map<String, String> parse(String text) {
        Map<String, String> snapshot = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int equals = line.indexOf('=');
            if (equals > 0) {
                snapshot.put(line.substring(0, equals), line.substring(equals + 1));
            }
        }
        return snapshot;
    }

    private static String emptyToNull(String value) {
        return (value == null || value.isEmpty()) ? null : value;
    }

    @Override
    public void start() {
        this.scheduler = Executors.newSingleThreadScheduledExecutor((task) -> {
            Thread thread = new Thread(task, "push-config-refresh");
            thread.setDaemon(true);
            return thread;
        });
        long interval = this.refreshInterval.toMillis();
        this.scheduler.scheduleWithFixedDelay(this::refresh, interval, interval, TimeUnit.MILLISECONDS);
    }

    @Override
    public void stop() {
        ScheduledExecutorService current = this.scheduler;
        if (current != null) {
            current.shutdownNow();
        }
        this.scheduler = null;
    }

    @Override
    public boolean isRunning() {
        return this.scheduler != null;
    }

    Instant now() {
        return this.clock.instant();
    }

}
