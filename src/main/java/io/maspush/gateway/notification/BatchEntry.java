package io.maspush.gateway.notification;

import java.util.List;

import io.maspush.gateway.web.InvalidField;

/**
 * One entry of a batch as it was read: a request that passed validation, or the errors
 * that keep it from being stored.
 *
 * @param index the entry's position in the batch
 * @param request the request, or {@code null} when it could not be read
 * @param errors what is wrong with it; empty when it is valid
 */
public record BatchEntry(int index, NotificationRequest request, List<InvalidField> errors) {

}
