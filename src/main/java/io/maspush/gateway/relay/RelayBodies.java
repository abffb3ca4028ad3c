package io.maspush.gateway.relay;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.maspush.gateway.push.RelayedBody;
import io.maspush.gateway.secret.Secret;
import io.maspush.gateway.web.JsonLimitsConfiguration;
import io.maspush.gateway.web.Problems;

import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/**
 * Turns a caller's body into a {@link RelayedBody}: checks that it is one UTF-8 JSON
 * value, cuts the caller's own key out of every string it appears in, and adds the bundle
 * identifier where asked. Every other character stays exactly as the caller sent it.
 * <p>
 * The key is found twice over: as characters anywhere inside a string literal (MAS might
 * send {@code "Bearer <key>"}), and as the decoded value of a whole string, which also
 * catches a key the caller wrote with JSON escapes.
 */
final class RelayBodies {

    private static final JsonFactory JSON = JsonFactory.builder()
        .streamReadConstraints(JsonLimitsConfiguration.constraints())
        .build();

    private RelayBodies() {
    }

    /**
     * Prepare a body for relaying.
     * @param bytes the request body
     * @param callerKey the caller's token, cut out wherever it appears in a string, or
     * {@code null}
     * @param bundleIdField the top-level field of the bundle identifier
     * @param bundleId the bundle identifier to add to an object that has none, or
     * {@code null} to add nothing
     * @return the body, ready for the environment's key
     */
    static RelayedBody prepare(byte[] bytes, Secret callerKey, String bundleIdField, String bundleId) {
        String text = decode(bytes);
        Structure structure = parse(text, (callerKey != null) ? callerKey.reveal() : null, bundleIdField);
        List<int[]> keyRanges = (callerKey != null) ? keyRanges(text, structure, callerKey.reveal()) : List.of();
        String insertion = null;
        if (bundleId != null && structure.objectStart() >= 0 && !structure.hasBundleId()) {
            insertion = quote(bundleIdField) + ":" + quote(bundleId) + (structure.emptyObject() ? "" : ",");
        }
        return assemble(text, keyRanges, structure.objectStart() + 1, insertion);
    }

    /**
     * Reads the body once with Jackson, which decides whether it is valid JSON, and notes
     * what the rewrite needs: where the top-level object starts, whether it names the
     * bundle identifier, every string literal, and which of them decode to the key.
     */
    private static Structure parse(String text, String key, String bundleIdField) {
        List<int[]> strings = new ArrayList<>();
        List<int[]> keyValues = new ArrayList<>();
        int objectStart = -1;
        boolean emptyObject = false;
        boolean hasBundleId = false;
        try (JsonParser parser = JSON.createParser(text)) {
            JsonToken token = parser.nextToken();
            if (token == null) {
                throw invalid("The body holds no JSON value; POST the JSON message MAS Manage sends to sendMessage");
            }
            if (token == JsonToken.START_OBJECT) {
                objectStart = (int) parser.currentTokenLocation().getCharOffset();
            }
            int depth = 0;
            JsonToken previous = null;
            while (token != null) {
                if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
                    depth++;
                }
                else if (token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY) {
                    depth--;
                    emptyObject = depth == 0 && previous == JsonToken.START_OBJECT;
                }
                else if (token == JsonToken.FIELD_NAME && depth == 1 && bundleIdField.equals(parser.currentName())) {
                    hasBundleId = true;
                }
                else if (token == JsonToken.VALUE_STRING) {
                    // Reading the text first makes the parser consume the whole literal,
                    // so
                    // that its current location is past the closing quote.
                    String value = parser.getText();
                    int start = (int) parser.currentTokenLocation().getCharOffset() + 1;
                    int end = (int) parser.currentLocation().getCharOffset() - 1;
                    int[] literal = new int[] { start, end };
                    strings.add(literal);
                    if (value.equals(key)) {
                        keyValues.add(literal);
                    }
                }
                if (depth == 0) {
                    break;
                }
                previous = token;
                token = parser.nextToken();
            }
            if (token == null) {
                throw invalid("The body is not complete JSON: it ends inside an object or array");
            }
            if (parser.nextToken() != null) {
                throw invalid("The body must hold one JSON value and nothing after it");
            }
        }
        catch (JsonProcessingException ex) {
            throw invalid("The body is not valid JSON: " + ex.getOriginalMessage());
        }
        catch (IOException ex) {
            throw new IllegalStateException("Reading JSON from a string cannot fail on I/O", ex);
        }
        return new Structure(objectStart, emptyObject, hasBundleId, strings, keyValues);
    }

    /**
     * Where the key's characters are, inside string literals only, merged with the whole
     * values that decode to it; sorted, without overlaps.
     */
    private static List<int[]> keyRanges(String text, Structure structure, String key) {
        List<int[]> ranges = new ArrayList<>(structure.keyValues());
        if (!key.isEmpty()) {
            for (int[] literal : structure.strings()) {
                int from = literal[0];
                int found;
                while ((found = text.indexOf(key, from)) >= 0 && found + key.length() <= literal[1]) {
                    ranges.add(new int[] { found, found + key.length() });
                    from = found + key.length();
                }
            }
        }
        ranges.sort((left, right) -> Integer.compare(left[0], right[0]));
        List<int[]> merged = new ArrayList<>(ranges.size());
        for (int[] range : ranges) {
            int[] last = merged.isEmpty() ? null : merged.get(merged.size() - 1);
            if (last != null && range[0] < last[1]) {
                last[1] = Math.max(last[1], range[1]);
            }
            else {
                merged.add(range.clone());
            }
        }
        return merged;
    }

    private static RelayedBody assemble(String text, List<int[]> keyRanges, int insertAt, String insertion) {
        StringBuilder template = new StringBuilder(text.length() + ((insertion != null) ? insertion.length() : 0));
        List<Integer> offsets = new ArrayList<>(keyRanges.size());
        int from = 0;
        if (insertion != null) {
            template.append(text, 0, insertAt).append(insertion);
            from = insertAt;
        }
        for (int[] range : keyRanges) {
            template.append(text, from, range[0]);
            offsets.add(template.length());
            from = range[1];
        }
        template.append(text, from, text.length());
        return new RelayedBody(template.toString(), offsets);
    }

    private static String quote(String value) {
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(value)) + "\"";
    }

    private static String decode(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw invalid("The body is empty; POST the JSON message that MAS Manage would send to sendMessage");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes))
                .toString();
        }
        catch (CharacterCodingException ex) {
            throw invalid("The body is not UTF-8 text; send the JSON message encoded as UTF-8");
        }
    }

    private static ErrorResponseException invalid(String detail) {
        return new ErrorResponseException(HttpStatus.BAD_REQUEST,
                Problems.of(HttpStatus.BAD_REQUEST, "invalid-relay-body", "Invalid relayed message", detail), null);
    }

    /**
     * What the rewrite needs to know of a parsed body.
     *
     * @param objectStart the offset of the top-level object's opening brace, or -1 when
     * the body is not an object
     * @param emptyObject whether the top-level object has no fields
     * @param hasBundleId whether the top-level object names the bundle identifier field
     * @param strings the inside of every string value, from its first character to just
     * before its closing quote
     * @param keyValues the string values that decode to the caller's key
     */
    private record Structure(int objectStart, boolean emptyObject, boolean hasBundleId, List<int[]> strings,
            List<int[]> keyValues) {
    }

}
