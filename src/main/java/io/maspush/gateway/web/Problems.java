package io.maspush.gateway.web;

import java.net.URI;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;

/**
 * Builds the gateway's RFC 9457 problem details. Each kind of problem has a stable type
 * URN, so that a caller can act on the type without parsing the text, and a detail that
 * says what is wrong and how to fix it.
 */
public final class Problems {

    private static final String TYPE_PREFIX = "urn:mas-push-gateway:problem:";

    private Problems() {
    }

    /**
     * A problem of a given kind.
     * @param status the HTTP status
     * @param type the kind, a short slug such as {@code validation-failed}
     * @param title a short, fixed summary of the kind
     * @param detail what is wrong in this case and how to fix it
     * @return the problem detail
     */
    public static ProblemDetail of(HttpStatus status, String type, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create(TYPE_PREFIX + type));
        problem.setTitle(title);
        return problem;
    }

    /**
     * The problem of a request with fields that are not acceptable: a 400 whose detail
     * sums up every field and whose {@code errors} list them one by one, sorted by field.
     * @param errors the fields
     * @return the problem detail
     */
    public static ProblemDetail validationFailed(List<InvalidField> errors) {
        List<InvalidField> sorted = sorted(errors);
        String summary = sorted.stream()
            .map((error) -> error.field() + " " + error.message())
            .collect(Collectors.joining("; "));
        ProblemDetail problem = of(HttpStatus.BAD_REQUEST, "validation-failed", "Invalid notification", summary);
        problem.setProperty("errors", sorted);
        return problem;
    }

    /**
     * Fields in the order problems list them.
     * @param errors the fields
     * @return them sorted by field, then message
     */
    public static List<InvalidField> sorted(List<InvalidField> errors) {
        return errors.stream()
            .sorted(Comparator.comparing(InvalidField::field).thenComparing(InvalidField::message))
            .toList();
    }

}
