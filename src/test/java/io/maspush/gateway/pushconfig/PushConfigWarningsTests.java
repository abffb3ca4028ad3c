package io.maspush.gateway.pushconfig;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import io.maspush.gateway.environment.KeySource;
import io.maspush.gateway.environment.PushEnvironment;
import io.maspush.gateway.environment.PushProperties;
import io.maspush.gateway.environment.PushSettings;
import io.maspush.gateway.secret.Secret;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PushConfigWarningsTests {

    private static final Instant NOW = Instant.parse("2026-12-03T12:00:00Z");

    private static final Duration YEAR = Duration.ofDays(365);

    @Test
    void noWarningForIbmsSettingsAndAFreshOwnKey() {
        PushEnvironment prod = environment("prod", PushProperties.DEFAULT_BUNDLE_ID, PushProperties.DEFAULT_URL, "k1");

        assertThat(warnings(prod, List.of(prod), NOW.minus(Duration.ofDays(10)))).isEmpty();
    }

    @Test
    void warnsAboutAnotherBundleIdentifier() {
        PushEnvironment prod = environment("prod", "com.example.custom", PushProperties.DEFAULT_URL, "k1");

        assertThat(warnings(prod, List.of(prod), NOW)).singleElement()
            .asString()
            .contains("com.example.custom")
            .contains("custom build of the MAS Mobile app");
    }

    @Test
    void warnsAboutAnotherHostOrPath() {
        PushEnvironment host = environment("prod", PushProperties.DEFAULT_BUNDLE_ID,
                "https://push.example.com/pushnotification/sendMessage", "k1");
        PushEnvironment path = environment("prod", PushProperties.DEFAULT_BUNDLE_ID,
                "https://pushnotification.suite.maximo.com/oldpath/sendMessage", "k1");

        assertThat(warnings(host, List.of(host), NOW)).singleElement().asString().contains("outdated saved URL");
        assertThat(warnings(path, List.of(path), NOW)).singleElement().asString().contains("outdated saved URL");
    }

    @Test
    void warnsWhenTheKeyIsOlderThanTheRotationPeriodWithItsAge() {
        PushEnvironment prod = environment("prod", PushProperties.DEFAULT_BUNDLE_ID, PushProperties.DEFAULT_URL, "k1");

        assertThat(warnings(prod, List.of(prod), NOW.minus(Duration.ofDays(365)))).isEmpty();
        assertThat(warnings(prod, List.of(prod), NOW.minus(Duration.ofDays(400)))).singleElement()
            .asString()
            .contains("400 days old")
            .contains("rotation period of 365 days");
    }

    @Test
    void warnsWhenTwoEnvironmentsShareAKey() {
        PushEnvironment prod = environment("prod", PushProperties.DEFAULT_BUNDLE_ID, PushProperties.DEFAULT_URL,
                "shared");
        PushEnvironment test = environment("test", PushProperties.DEFAULT_BUNDLE_ID, PushProperties.DEFAULT_URL,
                "shared");
        PushEnvironment dev = environment("dev", PushProperties.DEFAULT_BUNDLE_ID, PushProperties.DEFAULT_URL, "own");

        assertThat(warnings(prod, List.of(prod, test, dev), NOW)).singleElement()
            .asString()
            .contains("Environment(s) test use the same API key");
        assertThat(warnings(dev, List.of(prod, test, dev), NOW)).isEmpty();
    }

    @Test
    void warnsWhenNoKeyIsConfigured() {
        PushEnvironment prod = environment("prod", PushProperties.DEFAULT_BUNDLE_ID, PushProperties.DEFAULT_URL, null);

        assertThat(PushConfigWarnings.of(prod, List.of(prod), Optional.empty(), YEAR, NOW)).singleElement()
            .asString()
            .contains("No API key");
    }

    private static List<String> warnings(PushEnvironment environment, List<PushEnvironment> all, Instant keySetAt) {
        KeyRecord key = new KeyRecord(environment.settings().apiKey().fingerprint(), keySetAt, "config");
        return PushConfigWarnings.of(environment, all, Optional.of(key), YEAR, NOW);
    }

    private static PushEnvironment environment(String name, String bundleId, String url, String key) {
        return new PushEnvironment(name,
                new PushSettings(bundleId, URI.create(url), Secret.ofNullable(key), "X-API-Key", false, null,
                        Duration.ofSeconds(2), Duration.ofSeconds(10), 0),
                (key != null) ? KeySource.CONFIG : KeySource.NONE);
    }

}
