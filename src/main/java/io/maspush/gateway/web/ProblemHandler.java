package io.maspush.gateway.web;

import java.util.List;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.maspush.gateway.support.Causes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Turns every error into an RFC 9457 problem detail that says what is wrong and how to
 * fix it. Nothing a caller sees carries a stack trace, a SQL message or an echo of a
 * parser's internals.
 */
@RestControllerAdvice
class ProblemHandler extends ResponseEntityExceptionHandler {

    private static final Logger logger = LoggerFactory.getLogger(ProblemHandler.class);

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        List<InvalidField> errors = ex.getBindingResult()
            .getFieldErrors()
            .stream()
            .map((error) -> new InvalidField(error.getField(), message(error)))
            .toList();
        ProblemDetail problem = Problems.validationFailed(errors);
        return ResponseEntity.badRequest().body(problem);
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        RequestBodyLimitFilter.BodyTooLargeException tooLarge = Causes.find(ex,
                RequestBodyLimitFilter.BodyTooLargeException.class);
        if (tooLarge != null) {
            return ResponseEntity.status(HttpStatus.PAYLOAD_TOO_LARGE)
                .body(RequestBodyLimitFilter.tooLarge(tooLarge.limit()));
        }
        ProblemDetail problem = Problems.of(HttpStatus.BAD_REQUEST, "malformed-request", "Malformed request body",
                describe(ex));
        if (ex.getCause() instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()
                && Causes.find(ex, JsonParseException.class) == null) {
            problem.setProperty("errors", List.of(JsonFieldErrors.of(mapping)));
        }
        return ResponseEntity.badRequest().body(problem);
    }

    /**
     * Spring Security's firewall refuses headers and paths with characters it does not
     * allow; that is the caller's mistake, not the gateway's.
     */
    @ExceptionHandler(RequestRejectedException.class)
    ResponseEntity<ProblemDetail> rejected(RequestRejectedException ex) {
        return ResponseEntity.badRequest()
            .body(Problems.of(HttpStatus.BAD_REQUEST, "request-rejected", "Request rejected",
                    "A request header or the path contains characters that are not allowed; headers such as"
                            + " Idempotency-Key must be printable ASCII"));
    }

    @Override
    protected ResponseEntity<Object> handleNoResourceFoundException(NoResourceFoundException ex, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        return ResponseEntity.status(HttpStatus.NOT_FOUND)
            .body(Problems.of(HttpStatus.NOT_FOUND, "not-found", "Not found",
                    "There is no endpoint at this path; the API is under /api/v1 (see the README)"));
    }

    @ExceptionHandler(DataAccessException.class)
    ResponseEntity<ProblemDetail> storageUnavailable(DataAccessException ex) {
        logger.error("Database access failed", ex);
        ProblemDetail problem = Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "storage-unavailable",
                "Storage unavailable", "The gateway cannot reach its database right now, so it cannot store"
                        + " notifications safely; try again shortly");
        return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "5").body(problem);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception ex) {
        logger.error("Unexpected error while handling a request", ex);
        ProblemDetail problem = Problems.of(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error", "Internal error",
                "The gateway failed to handle this request; the error is in its log");
        return ResponseEntity.internalServerError().body(problem);
    }

    private String message(FieldError error) {
        return (error.getDefaultMessage() != null) ? error.getDefaultMessage() : "is invalid";
    }

    private static String describe(HttpMessageNotReadableException ex) {
        Throwable cause = ex.getCause();
        if (Causes.has(ex, StreamConstraintsException.class)) {
            return "The body goes past a limit of the JSON reader: nesting deeper than "
                    + JsonLimitsConfiguration.MAX_NESTING_DEPTH + " levels, a number longer than "
                    + JsonLimitsConfiguration.MAX_NUMBER_LENGTH + " digits, or a string longer than 64 KiB";
        }
        JsonParseException parse = Causes.find(ex, JsonParseException.class);
        if (parse != null) {
            return (parse.getLocation() != null) ? "The body is not valid JSON (line " + parse.getLocation().getLineNr()
                    + ", column " + parse.getLocation().getColumnNr() + ")" : "The body is not valid JSON";
        }
        if (cause instanceof UnrecognizedPropertyException unknown) {
            return "Unknown field '" + JsonFieldErrors.path(unknown) + "'; the accepted fields are recipients, title,"
                    + " body, category, priority, data, ttl and callbackUrl";
        }
        if (cause instanceof InvalidFormatException invalid) {
            String expected = (invalid.getTargetType() != null && invalid.getTargetType().isEnum())
                    ? "one of " + List.of(invalid.getTargetType().getEnumConstants()) : "a valid value";
            return "Field '" + JsonFieldErrors.path(invalid) + "' must be " + expected;
        }
        if (cause instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()) {
            return "Field '" + JsonFieldErrors.path(mismatch) + "' has the wrong type: "
                    + JsonFieldErrors.expectation(mismatch);
        }
        if (cause instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            return "Field '" + JsonFieldErrors.path(mapping) + "' is invalid: durations are ISO-8601 such as PT4H";
        }
        return "The request body is missing or is not a JSON object";
    }

}
