package io.maspush.gateway.notification;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.maspush.gateway.web.InvalidField;
import io.maspush.gateway.web.JsonFieldErrors;
import io.maspush.gateway.web.Problems;
import jakarta.validation.Validator;

import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.validation.BeanPropertyBindingResult;
import org.springframework.validation.FieldError;
import org.springframework.validation.beanvalidation.SpringValidatorAdapter;
import org.springframework.web.ErrorResponseException;

/**
 * Reads the body of a batch: refuses a body that is not a batch at all, and reads and
 * validates each entry on its own, with the same rules and the same error messages as a
 * single notification, so that one bad entry refuses only itself.
 */
@Component
class BatchReader {

    /** The most notifications one batch may hold. */
    static final int MAX_ENTRIES = 500;

    private static final String FIELD = "notifications";

    private final ObjectMapper json;

    private final SpringValidatorAdapter validator;

    BatchReader(ObjectMapper json, Validator validator) {
        this.json = json;
        this.validator = new SpringValidatorAdapter(validator);
    }

    /**
     * Read a batch.
     * @param body the parsed request body
     * @return its entries, in order
     */
    List<BatchEntry> read(JsonNode body) {
        JsonNode entries = entriesOf(body);
        List<BatchEntry> read = new ArrayList<>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            read.add(entry(i, entries.get(i)));
        }
        return read;
    }

    private static JsonNode entriesOf(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw invalid("The body must be a JSON object of the form {\"notifications\": [...]}");
        }
        Iterator<String> names = body.fieldNames();
        while (names.hasNext()) {
            String name = names.next();
            if (!FIELD.equals(name)) {
                throw invalid("Unknown field '" + printable(name) + "'; a batch has only the field notifications");
            }
        }
        JsonNode entries = body.get(FIELD);
        if (entries == null || !entries.isArray()) {
            throw invalid("The field notifications must be an array of notifications");
        }
        if (entries.isEmpty() || entries.size() > MAX_ENTRIES) {
            throw invalid("A batch holds 1 to " + MAX_ENTRIES + " notifications, but this one has " + entries.size()
                    + "; send more in several batches");
        }
        return entries;
    }

    private BatchEntry entry(int index, JsonNode node) {
        String prefix = FIELD + "[" + index + "]";
        if (!node.isObject()) {
            return new BatchEntry(index, null,
                    List.of(new InvalidField(prefix, "must be a JSON object with recipients, title and body")));
        }
        NotificationRequest request;
        try {
            request = this.json.treeToValue(node, NotificationRequest.class);
        }
        catch (JsonMappingException ex) {
            InvalidField field = JsonFieldErrors.of(ex);
            return new BatchEntry(index, null, List.of(new InvalidField(join(prefix, field.field()), field.message())));
        }
        catch (JsonProcessingException ex) {
            return new BatchEntry(index, null, List.of(new InvalidField(prefix, "is not a valid notification")));
        }
        BeanPropertyBindingResult result = new BeanPropertyBindingResult(request, "notification");
        this.validator.validate(request, result);
        List<InvalidField> errors = new ArrayList<>();
        for (FieldError error : result.getFieldErrors()) {
            errors.add(new InvalidField(join(prefix, error.getField()),
                    (error.getDefaultMessage() != null) ? error.getDefaultMessage() : "is invalid"));
        }
        return new BatchEntry(index, errors.isEmpty() ? request : null, errors);
    }

    private static String join(String prefix, String field) {
        if (field == null || field.isEmpty()) {
            return prefix;
        }
        return field.startsWith("[") ? prefix + field : prefix + "." + field;
    }

    private static String printable(String text) {
        String shortened = (text.length() > 64) ? text.substring(0, 64) + "..." : text;
        return shortened.replaceAll("[^\\x20-\\x7E]", "?");
    }

    private static ErrorResponseException invalid(String detail) {
        return new ErrorResponseException(HttpStatus.BAD_REQUEST,
                Problems.of(HttpStatus.BAD_REQUEST, "invalid-batch", "Invalid batch", detail), null);
    }

}
