package io.maspush.gateway.web;

/**
 * One field of a request that is not acceptable, as listed in the {@code errors} of a
 * {@code validation-failed} problem.
 *
 * @param field the field's path, such as {@code title} or {@code recipients[2]}
 * @param message what is wrong with it
 */
public record InvalidField(String field, String message) {

}
