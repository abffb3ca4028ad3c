package io.maspush.gateway.web;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * Says which field of a JSON request could not be read into its type and why, in the
 * words of the API documentation, never echoing a parser's internals.
 */
public final class JsonFieldErrors {

    private JsonFieldErrors() {
    }

    /**
     * The field a mapping failure is about.
     * @param mapping the failure
     * @return the field and what is wrong with it
     */
    public static InvalidField of(JsonMappingException mapping) {
        return new InvalidField(path(mapping), message(mapping));
    }

    static String message(JsonMappingException mapping) {
        if (mapping instanceof UnrecognizedPropertyException) {
            return "is not a field of this request";
        }
        if (mapping instanceof InvalidFormatException invalid && invalid.getTargetType() != null
                && invalid.getTargetType().isEnum()) {
            return "must be one of " + List.of(invalid.getTargetType().getEnumConstants());
        }
        if (mapping instanceof MismatchedInputException mismatch && mismatch.getTargetType() != null
                && !Duration.class.equals(mismatch.getTargetType())) {
            return "has the wrong type: " + expectation(mismatch);
        }
        return "is invalid: durations are ISO-8601 such as PT4H";
    }

    static String expectation(MismatchedInputException mismatch) {
        Class<?> target = mismatch.getTargetType();
        if (target == null) {
            return "see the API documentation";
        }
        if (String.class.equals(target)) {
            return "expected a string";
        }
        if (List.class.isAssignableFrom(target)) {
            return "expected an array of strings";
        }
        if (Map.class.isAssignableFrom(target)) {
            return "expected an object of string fields";
        }
        return "expected " + target.getSimpleName();
    }

    static String path(JsonMappingException ex) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : ex.getPath()) {
            if (reference.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(reference.getFieldName());
            }
            else if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            }
        }
        String text = path.toString();
        return (text.length() > 100) ? text.substring(0, 100) + "..." : text.replaceAll("[^\\x20-\\x7E]", "?");
    }

}
