package io.maspush.gateway.pushconfig;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * The body of {@code POST .../push-config/test}: one notification to send now, as an
 * administrator's check that the settings work end to end.
 *
 * @param recipient the MAS user ID to notify, such as the administrator's own
 * @param title the title; a default says it is a test
 * @param body the text; a default says it is a test
 */
public record PushTestRequest(
        @NotBlank @Size(max = 100) @Pattern(regexp = "[^\\p{Cntrl}]*",
                message = "must not contain control characters") String recipient,
        @Size(min = 1, max = 200) String title, @Size(min = 1, max = 4000) String body) {

}
