package io.maspush.gateway.notification;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * The body of {@code POST /api/v1/notifications}. Unknown fields are refused by the JSON
 * reader, naming the field.
 *
 * @param recipients 1 to 500 MAS user IDs; duplicates are removed
 * @param title 1 to 200 characters
 * @param body 1 to 4000 characters
 * @param category an optional token of up to 40 of {@code [A-Z0-9_]}
 * @param priority {@code NORMAL} (the default) or {@code HIGH}
 * @param data an optional flat object of up to 32 string fields for the app
 * @param ttl how long the notification is worth delivering, from PT1M to P7D; PT24H when
 * absent
 * @param callbackUrl where to POST the final status, overriding the client's configured
 * callback URL; must start with one of the client's {@code callback-url-prefixes}
 */
public record NotificationRequest(
        @NotEmpty @Size(max = 500) List<@NotBlank @Size(max = 100) @Pattern(regexp = NO_CONTROL_CHARACTERS,
                message = "must not contain control characters") String> recipients,
        @NotBlank @Size(max = 200) @Pattern(regexp = NO_CONTROL_CHARACTERS,
                message = "must not contain control characters") String title,
        @NotBlank @Size(max = 4000) @Pattern(regexp = TEXT,
                message = "must not contain control characters other" + " than line breaks and tabs") String body,
        @Pattern(regexp = "[A-Z0-9_]{1,40}", message = "must be 1 to 40 of A-Z, 0-9 and _") String category,
        Priority priority,
        @Size(max = 32) Map<@NotBlank @Size(max = 64) String, @NotNull @Size(max = 1024) String> data,
        @DurationRange(min = "PT1M", max = "P7D") Duration ttl,
        @Size(max = 2048) @Pattern(regexp = NO_CONTROL_CHARACTERS,
                message = "must not contain control characters") String callbackUrl) {

    static final String NO_CONTROL_CHARACTERS = "[^\\p{Cntrl}]*";

    /**
     * Text shown on a phone: line breaks and tabs, but no other control character
     * (PostgreSQL stores no NUL).
     */
    static final String TEXT = "[^\\x00-\\x08\\x0B\\x0C\\x0E-\\x1F\\x7F]*";

}
