package io.maspush.gateway.push;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The JSON body POSTed to the push service for one notification. IBM does not publish the
 * format of {@code sendMessage}, so this record is the one place that decides it; nothing
 * else in the gateway knows the outbound shape. Fields that a notification does not have
 * are left out rather than sent as {@code null}.
 *
 * <pre>
 * {"bundleId": "com.ibm.iot.maximo.mobile", "notificationId": "0b6c...", "recipients": ["WILSON"],
 *  "title": "Work order 1042 assigned", "body": "Pump P-100 leaks", "category": "ASSIGNMENT",
 *  "priority": "HIGH", "data": {"recordId": "1042"}, "expiresAt": "2026-12-03T20:00:00Z"}
 * </pre>
 *
 * @param bundleId the environment's bundle identifier
 * @param notificationId the gateway's id of the notification, also sent as
 * {@code Idempotency-Key}
 * @param recipients MAS user IDs
 * @param title the title
 * @param body the text
 * @param category the category, if any
 * @param priority {@code NORMAL} or {@code HIGH}
 * @param data extra string fields for the app, if any
 * @param expiresAt when the message stops being worth showing
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record PushMessage(String bundleId, String notificationId, List<String> recipients, String title, String body,
        String category, String priority, Map<String, String> data, Instant expiresAt) {

}
