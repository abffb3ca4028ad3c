package io.maspush.gateway.notification;

import java.util.List;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.JsonNode;
import io.maspush.gateway.notification.NotificationService.BatchItem;
import io.maspush.gateway.notification.NotificationService.BatchResult;
import io.maspush.gateway.security.GatewayClient;
import io.maspush.gateway.web.InvalidField;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * Several notifications in one request: each entry is validated on its own, the valid
 * ones are stored in one transaction, and the answer says for each entry, in order, its
 * id or what is wrong with it.
 */
@RestController
class NotificationBatchController {

    /** The path of the batch endpoint. */
    static final String PATH = "/api/v1/notifications:batch";

    /** Leaves room for {@code #<index>}, under which each entry is stored. */
    private static final Pattern IDEMPOTENCY_KEY = Pattern.compile("[\\x20-\\x7E]{1,240}");

    private final NotificationService notifications;

    private final BatchReader reader;

    NotificationBatchController(NotificationService notifications, BatchReader reader) {
        this.notifications = notifications;
        this.reader = reader;
    }

    @PostMapping(path = PATH, consumes = MediaType.APPLICATION_JSON_VALUE, produces = MediaType.APPLICATION_JSON_VALUE)
    ResponseEntity<BatchAnswer> send(@AuthenticationPrincipal GatewayClient client, @RequestBody JsonNode body,
            @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey) {
        if (idempotencyKey != null && !IDEMPOTENCY_KEY.matcher(idempotencyKey).matches()) {
            throw NotificationProblems.invalidBatchIdempotencyKey();
        }
        List<BatchEntry> entries = this.reader.read(body);
        BatchResult result = this.notifications.acceptBatch(client, entries, idempotencyKey);
        ResponseEntity.BodyBuilder answer = ResponseEntity.ok();
        if (result.replayed()) {
            answer.header("Idempotent-Replayed", "true");
        }
        return answer.body(BatchAnswer.of(result));
    }

    /**
     * The answer to a batch.
     *
     * @param accepted how many entries were stored
     * @param rejected how many were refused
     * @param results each entry's result, in the order of the request
     */
    record BatchAnswer(long accepted, long rejected, List<EntryAnswer> results) {

        static BatchAnswer of(BatchResult result) {
            long accepted = result.acceptedCount();
            return new BatchAnswer(accepted, result.items().size() - accepted,
                    result.items().stream().map(EntryAnswer::of).toList());
        }

    }

    /**
     * One entry's result: the stored notification as a single {@code POST} answers it, or
     * the entry's errors.
     *
     * @param index the entry's position in the request
     * @param notification the stored notification, or {@code null}
     * @param errors what is wrong with the entry, or {@code null} when it was stored
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record EntryAnswer(int index, @JsonUnwrapped NotificationAccepted notification, List<InvalidField> errors) {

        static EntryAnswer of(BatchItem item) {
            return (item.notification() != null)
                    ? new EntryAnswer(item.index(), NotificationAccepted.of(item.notification()), null)
                    : new EntryAnswer(item.index(), null, item.errors());
        }

    }

}
