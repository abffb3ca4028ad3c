package io.maspush.gateway.push;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/**
 * Reads a {@code Retry-After} header, which RFC 9110 allows as a number of seconds or as
 * an HTTP date.
 */
final class RetryAfter {

    /**
     * Longer waits than this are treated as a misconfigured upstream rather than obeyed
     * for days.
     */
    private static final Duration MAX = Duration.ofHours(6);

    private RetryAfter() {
    }

    static Duration parse(String value, Clock clock) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String trimmed = value.strip();
        try {
            if (trimmed.chars().allMatch(Character::isDigit)) {
                return cap(Duration.ofSeconds(Long.parseLong(trimmed)));
            }
            ZonedDateTime date = ZonedDateTime.parse(trimmed, DateTimeFormatter.RFC_1123_DATE_TIME);
            Duration until = Duration.between(clock.instant(), date.toInstant());
            return cap(until.isNegative() ? Duration.ZERO : until);
        }
        catch (NumberFormatException | DateTimeParseException ex) {
            return null;
        }
    }

    private static Duration cap(Duration duration) {
        return (duration.compareTo(MAX) > 0) ? MAX : duration;
    }

}
