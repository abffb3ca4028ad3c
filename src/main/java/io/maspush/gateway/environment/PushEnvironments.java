package io.maspush.gateway.environment;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

import io.maspush.gateway.environment.PushEnvironment.Field;
import io.maspush.gateway.secret.Secret;

import org.springframework.stereotype.Component;

/**
 * The push environments this gateway delivers to and their current settings. Each
 * environment's settings are layered: what an administrator set through the admin API,
 * over a key file, over the configuration. Callers look settings up for every delivery
 * rather than keeping them, so that a changed key or URL applies to the next delivery
 * without a restart.
 */
@Component
public class PushEnvironments {

    private final Map<String, Layers> layers = new ConcurrentHashMap<>();

    private final List<String> names;

    private final Duration keyRotationPeriod;

    PushEnvironments(PushProperties defaultPush, EnvironmentsProperties named) {
        Map<String, Layers> initial = new LinkedHashMap<>();
        if (named.environments().isEmpty()) {
            initial.put(PushEnvironment.DEFAULT,
                    Layers.configured(PushEnvironment.DEFAULT, "gateway.push", defaultPush));
        }
        named.environments().forEach((name, environment) -> {
            if (!name.matches("[a-z0-9][a-z0-9_-]{0,63}")) {
                throw new IllegalArgumentException("gateway.environments." + name
                        + ": environment names are 1 to 64 of a-z, 0-9, '_' and '-', starting with a letter or digit");
            }
            initial.put(name, Layers.configured(name, "gateway.environments." + name + ".push", environment.push()));
        });
        this.layers.putAll(initial);
        this.names = List.copyOf(initial.keySet());
        this.keyRotationPeriod = defaultPush.keyRotationPeriod();
    }

    /**
     * Every environment, in the order of the configuration.
     * @return the environments with their current settings
     */
    public List<PushEnvironment> all() {
        return this.names.stream().map((name) -> this.layers.get(name).effective()).toList();
    }

    public List<String> names() {
        return this.names;
    }

    public Optional<PushEnvironment> find(String name) {
        Layers current = (name != null) ? this.layers.get(name) : null;
        return Optional.ofNullable(current).map(Layers::effective);
    }

    /**
     * The environment of that name, which must exist: notifications are only stored for
     * known environments.
     * @param name the environment's name
     * @return the environment
     */
    public PushEnvironment get(String name) {
        return find(name).orElseThrow(() -> new IllegalStateException("Unknown push environment '" + name + "'"));
    }

    public Duration keyRotationPeriod() {
        return this.keyRotationPeriod;
    }

    /**
     * The key file configured for an environment.
     * @param name the environment
     * @return the file, if one is configured
     */
    public Optional<Path> keyFile(String name) {
        return Optional.ofNullable(this.layers.get(name).config().apiKeyFile());
    }

    public String propertyPrefix(String name) {
        return this.layers.get(name).prefix();
    }

    /**
     * The configuration layer alone, without a key file or admin overrides: what the
     * configuration says.
     * @param name the environment
     * @return the configured settings
     */
    public PushEnvironment configured(String name) {
        return this.layers.get(name).withFileKey(null).withOverrides(PushOverrides.NONE).effective();
    }

    /**
     * Apply a key read from the environment's key file.
     * @param name the environment
     * @param key the key, or {@code null} when the file is empty or gone
     * @return what changed in the effective settings
     */
    public Change applyFileKey(String name, Secret key) {
        return update(name, (current) -> current.withFileKey(key));
    }

    /**
     * Apply what an administrator set.
     * @param name the environment
     * @param overrides the admin layer, replacing the previous one
     * @return what changed in the effective settings
     */
    public Change applyOverrides(String name, PushOverrides overrides) {
        return update(name, (current) -> current.withOverrides(overrides));
    }

    /**
     * The settings an environment would have with other overrides, validated as they
     * would be on applying them.
     * @param name the environment
     * @param overrides the candidate admin layer
     * @return the resulting environment
     * @throws IllegalArgumentException when the result is invalid, with a message naming
     * the field
     */
    public PushEnvironment preview(String name, PushOverrides overrides) {
        return this.layers.get(name).withOverrides(overrides).effective();
    }

    public PushOverrides overrides(String name) {
        return this.layers.get(name).overrides();
    }

    private Change update(String name, UnaryOperator<Layers> change) {
        PushEnvironment[] before = new PushEnvironment[1];
        Layers updated = this.layers.computeIfPresent(name, (key, current) -> {
            before[0] = current.effective();
            return change.apply(current);
        });
        if (updated == null) {
            throw new IllegalStateException("Unknown push environment '" + name + "'");
        }
        return new Change(before[0], updated.effective());
    }

    /**
     * The settings of one environment before and after a change.
     *
     * @param before the settings before
     * @param after the settings after
     */
    public record Change(PushEnvironment before, PushEnvironment after) {

        public List<Field> fields() {
            PushSettings old = this.before.settings();
            PushSettings now = this.after.settings();
            List<Field> fields = new ArrayList<>();
            if (!Objects.equals(old.bundleId(), now.bundleId())) {
                fields.add(Field.bundleId);
            }
            if (!Objects.equals(old.url(), now.url())) {
                fields.add(Field.url);
            }
            if (!Objects.equals(old.apiKeyHeader(), now.apiKeyHeader())) {
                fields.add(Field.apiKeyHeader);
            }
            if (!Objects.equals(String.valueOf(old.proxy()), String.valueOf(now.proxy()))) {
                fields.add(Field.proxy);
            }
            if (!Objects.equals(old.apiKey(), now.apiKey())) {
                fields.add(Field.apiKey);
            }
            return fields;
        }

        public boolean isEmpty() {
            return fields().isEmpty();
        }

    }

    /**
     * The layers of one environment and the settings they add up to, computed once per
     * change so that the delivery path only reads a field.
     */
    private static final class Layers {

        private final String name;

        private final String prefix;

        private final PushProperties config;

        private final ProxySettings configuredProxy;

        private final Secret fileKey;

        private final PushOverrides overrides;

        private final PushEnvironment effective;

        private Layers(String name, String prefix, PushProperties config, ProxySettings configuredProxy, Secret fileKey,
                PushOverrides overrides) {
            this.name = name;
            this.prefix = prefix;
            this.config = config;
            this.configuredProxy = configuredProxy;
            this.fileKey = fileKey;
            this.overrides = overrides;
            this.effective = computeEffective();
        }

        static Layers configured(String name, String prefix, PushProperties config) {
            config.validate(prefix);
            Secret fileKey = (config.apiKeyFile() != null)
                    ? SecretFiles.read(config.apiKeyFile(), prefix + ".api-key-file") : null;
            return new Layers(name, prefix, config, config.proxySettings(prefix), fileKey, PushOverrides.NONE);
        }

        Layers withFileKey(Secret key) {
            return new Layers(this.name, this.prefix, this.config, this.configuredProxy, key, this.overrides);
        }

        Layers withOverrides(PushOverrides newOverrides) {
            return new Layers(this.name, this.prefix, this.config, this.configuredProxy, this.fileKey, newOverrides);
        }

        String prefix() {
            return this.prefix;
        }

        PushProperties config() {
            return this.config;
        }

        PushOverrides overrides() {
            return this.overrides;
        }

        PushEnvironment effective() {
            return this.effective;
        }

        private PushEnvironment computeEffective() {
            KeySource source = (this.overrides.apiKey() != null) ? KeySource.ADMIN : (this.fileKey != null)
                    ? KeySource.FILE : (this.config.apiKey() != null) ? KeySource.CONFIG : KeySource.NONE;
            Secret key = switch (source) {
                case ADMIN -> this.overrides.apiKey();
                case FILE -> this.fileKey;
                case CONFIG -> this.config.apiKey();
                case NONE -> null;
            };
            String bundleId = or(this.overrides.bundleId(), this.config.bundleId());
            URI url = or(this.overrides.url(), this.config.url());
            String header = or(this.overrides.apiKeyHeader(), this.config.apiKeyHeader());
            ProxySettings proxy = (this.overrides.proxy() == null) ? this.configuredProxy
                    : ProxySettings.parse("proxy", this.overrides.proxy(), this.config.proxyUsername(),
                            (this.configuredProxy != null) ? this.configuredProxy.password() : null);
            PushSettings.check(this.prefix, url, this.config.allowInsecureUrl(), header,
                    this.config.rateLimitPerSecond());
            PushSettings settings = new PushSettings(bundleId, url, key, header, this.config.allowInsecureUrl(), proxy,
                    this.config.connectTimeout(), this.config.responseTimeout(), this.config.rateLimitPerSecond());
            return new PushEnvironment(this.name, settings, source);
        }

        private static <T> T or(T override, T configured) {
            return (override != null) ? override : configured;
        }

    }

}
