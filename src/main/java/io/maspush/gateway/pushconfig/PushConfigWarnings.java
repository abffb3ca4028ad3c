package io.maspush.gateway.pushconfig;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.maspush.gateway.environment.PushEnvironment;
import io.maspush.gateway.environment.PushProperties;
import io.maspush.gateway.environment.PushSettings;

/**
 * The warnings an administrator should read about an environment's settings, in their
 * terms: each one is a mistake seen in real MAS setups.
 */
final class PushConfigWarnings {

    private PushConfigWarnings() {
    }

    static List<String> of(PushEnvironment environment, List<PushEnvironment> all, Optional<KeyRecord> key,
            Duration rotationPeriod, Instant now) {
        PushSettings settings = environment.settings();
        List<String> warnings = new ArrayList<>();
        if (!PushProperties.DEFAULT_BUNDLE_ID.equals(settings.bundleId())) {
            warnings.add("The bundle identifier is '" + settings.bundleId() + "', not "
                    + PushProperties.DEFAULT_BUNDLE_ID + ": only a custom build of the MAS Mobile app has another");
        }
        if (!PushProperties.DEFAULT_HOST.equalsIgnoreCase(settings.url().getHost())
                || !PushProperties.DEFAULT_PATH.equals(settings.url().getPath())) {
            warnings.add("The URL " + settings.url() + " is not IBM's push service (" + PushProperties.DEFAULT_URL
                    + "): is it an outdated saved URL?");
        }
        if (!settings.isConfigured()) {
            warnings.add("No API key is configured: generate one on IBM's push notification portal and set it");
        }
        key.ifPresent((record) -> {
            Duration age = Duration.between(record.updatedAt(), now);
            if (age.compareTo(rotationPeriod) > 0) {
                warnings.add("The API key is " + age.toDays() + " days old, older than the rotation period of "
                        + rotationPeriod.toDays() + " days: generate a new one and replace it");
            }
        });
        if (settings.isConfigured()) {
            String fingerprint = settings.apiKey().fingerprint();
            List<String> sharing = all.stream()
                .filter((other) -> !other.name().equals(environment.name()) && other.settings().isConfigured()
                        && other.settings().apiKey().fingerprint().equals(fingerprint))
                .map(PushEnvironment::name)
                .toList();
            if (!sharing.isEmpty()) {
                warnings.add("Environment(s) " + String.join(", ", sharing) + " use the same API key: a test system"
                        + " could send with the production key. Give every environment its own key");
            }
        }
        return warnings;
    }

}
