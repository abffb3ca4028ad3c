package io.maspush.gateway.pushconfig;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import io.maspush.gateway.environment.PushEnvironment;
import io.maspush.gateway.environment.PushEnvironmentChanged;
import io.maspush.gateway.environment.PushEnvironments;
import io.maspush.gateway.environment.PushEnvironments.Change;
import io.maspush.gateway.environment.PushOverrides;
import io.maspush.gateway.pushconfig.PushConfigRepository.AuditEntry;
import io.maspush.gateway.pushconfig.PushConfigRepository.StoredPushConfig;
import io.maspush.gateway.pushconfig.PushConfigView.ApiKeyView;
import io.maspush.gateway.secret.Secret;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * What administrators do with an environment's push settings: look at them masked, change
 * them, and read who changed what.
 */
@Service
public class PushConfigService {

    private static final Logger logger = LoggerFactory.getLogger(PushConfigService.class);

    private final PushEnvironments environments;

    private final PushConfigRepository repository;

    private final PushConfigSynchroniser synchroniser;

    private final ApiKeyCipher cipher;

    private final ApplicationEventPublisher events;

    private final TransactionTemplate transactions;

    PushConfigService(PushEnvironments environments, PushConfigRepository repository,
            PushConfigSynchroniser synchroniser, ApiKeyCipher cipher, ApplicationEventPublisher events,
            TransactionTemplate transactions) {
        this.environments = environments;
        this.repository = repository;
        this.synchroniser = synchroniser;
        this.cipher = cipher;
        this.events = events;
        this.transactions = transactions;
    }

    public PushConfigView view(String name) {
        PushEnvironment environment = this.environments.get(name);
        Instant now = this.synchroniser.now();
        Optional<KeyRecord> key = this.synchroniser.keyRecord(name);
        Duration rotation = this.environments.keyRotationPeriod();
        ApiKeyView keyView = key.map((record) -> {
            Duration age = Duration.between(record.updatedAt(), now);
            return new ApiKeyView(true, record.fingerprint(), environment.keySource().name().toLowerCase(Locale.ROOT),
                    record.updatedAt(), record.updatedBy(), age.toDays(), age.compareTo(rotation) > 0);
        }).orElseGet(() -> new ApiKeyView(false, null, "none", null, null, null, false));
        return new PushConfigView(name, environment.settings().bundleId(), environment.settings().url(),
                environment.settings().apiKeyHeader(),
                (environment.settings().proxy() != null) ? environment.settings().proxy().toString() : null, keyView,
                warnings(environment));
    }

    List<String> warnings(PushEnvironment environment) {
        return PushConfigWarnings.of(environment, this.environments.all(),
                this.synchroniser.keyRecord(environment.name()), this.environments.keyRotationPeriod(),
                this.synchroniser.now());
    }

    /**
     * Change an environment's settings, effective for its next delivery.
     * @param name the environment
     * @param update what to change
     * @param actor the client making the change
     * @return the settings as they are now, masked
     */
    public PushConfigView update(String name, PushConfigUpdate update, String actor) {
        PushEnvironment current = this.environments.get(name);
        PushOverrides previous = this.environments.overrides(name);
        URI url = (update.url() != null) ? parseUrl(update.url(), current.settings().allowInsecureUrl()) : null;
        Secret newKey = checkedKey(update.apiKey());
        if (newKey != null && !this.cipher.isAvailable()) {
            throw PushConfigProblems.encryptionKeyMissing();
        }
        PushOverrides overrides = new PushOverrides(or(update.bundleId(), previous.bundleId()), or(url, previous.url()),
                or(update.apiKeyHeader(), previous.apiKeyHeader()), or(update.proxy(), previous.proxy()),
                or(newKey, previous.apiKey()));
        try {
            this.environments.preview(name, overrides);
        }
        catch (IllegalArgumentException ex) {
            throw PushConfigProblems.invalid(ex.getMessage());
        }
        String ciphertext = (newKey != null) ? this.cipher.encrypt(name, newKey)
                : this.repository.find(name).map(StoredPushConfig::apiKeyCiphertext).orElse(null);
        return store(name, overrides, ciphertext, actor);
    }

    private PushConfigView store(String name, PushOverrides overrides, String ciphertext, String actor) {
        Instant now = this.synchroniser.now();
        Change change = this.transactions.execute((status) -> {
            long version = this.repository.save(new StoredPushConfig(name, overrides.bundleId(), overrides.url(),
                    overrides.apiKeyHeader(), overrides.proxy(), ciphertext, 0, now, actor));
            Change applied = this.environments.applyOverrides(name, overrides);
            if (!applied.isEmpty()) {
                this.repository
                    .audit(new AuditEntry(name, now, actor, applied.fields().stream().map(Enum::name).toList(),
                            fingerprint(applied.before()), fingerprint(applied.after())));
            }
            this.synchroniser.noteVersion(version);
            return applied;
        });
        if (!change.isEmpty()) {
            logger.info("Push settings of environment {} changed by {}: {}", name, actor, change.fields());
            this.synchroniser.refreshKeyRecord(name);
            this.events.publishEvent(new PushEnvironmentChanged(name, change.fields(), actor));
        }
        return view(name);
    }

    /**
     * Drop everything administrators set, so that the key file and the configuration
     * apply again. The row stays, empty and with a new version, so that other replicas
     * notice the change.
     * @param name the environment
     * @param actor the client making the change
     * @return the settings as they are now, masked
     */
    public PushConfigView revert(String name, String actor) {
        this.environments.get(name);
        return store(name, PushOverrides.NONE, null, actor);
    }

    /**
     * A page of the audit trail, newest first.
     * @param name the environment
     * @param page the page, from 0
     * @param size the page size
     * @return the page
     */
    public AuditPage history(String name, int page, int size) {
        this.environments.get(name);
        return new AuditPage(this.repository.history(name, page, size), page, size, this.repository.countHistory(name));
    }

    private static String fingerprint(PushEnvironment environment) {
        return environment.settings().isConfigured() ? environment.settings().apiKey().fingerprint() : null;
    }

    private static URI parseUrl(String text, boolean allowInsecure) {
        URI url;
        try {
            url = new URI(text.strip());
        }
        catch (URISyntaxException ex) {
            throw PushConfigProblems.invalid("url is not a valid URL: " + ex.getReason());
        }
        if (url.getRawFragment() != null) {
            throw PushConfigProblems.invalid("url must not have a fragment (#...)");
        }
        if (url.getRawUserInfo() != null) {
            throw PushConfigProblems.invalid("url must not carry user information; set the API key as apiKey");
        }
        if (!url.isAbsolute() || url.getHost() == null) {
            throw PushConfigProblems.invalid("url must be an absolute https:// URL");
        }
        if ("http".equalsIgnoreCase(url.getScheme()) && !allowInsecure) {
            throw PushConfigProblems.invalid("url must use https://: http:// would send the API key in clear text");
        }
        return url;
    }

    private static Secret checkedKey(String apiKey) {
        if (apiKey == null) {
            return null;
        }
        if (apiKey.isEmpty() || apiKey.length() > 4096 || !apiKey.chars().allMatch((c) -> c >= 0x21 && c <= 0x7E)) {
            throw PushConfigProblems.invalid("apiKey must be 1 to 4096 printable characters without whitespace or"
                    + " control characters; paste the key exactly as the push notification portal showed it");
        }
        return Secret.ofNullable(apiKey);
    }

    private static <T> T or(T value, T fallback) {
        return (value != null) ? value : fallback;
    }

    /**
     * A page of the audit trail.
     *
     * @param entries the changes on this page, newest first
     * @param page the page number, from 0
     * @param size the page size
     * @param total the number of changes in all
     */
    public record AuditPage(List<AuditEntry> entries, int page, int size, long total) {
    }

}
