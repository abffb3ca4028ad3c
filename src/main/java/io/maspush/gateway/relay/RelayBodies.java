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
import io.maspush.gateway.web.Problems;

import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/**
 * Turns a caller's body into a {@link RelayedBody}: checks that it is one UTF-8 JSON
 * object, cuts every string equal to the caller's own key out of it, and adds the bundle
 * identifier where asked. Every other character stays exactly as the caller sent it.
 */
final class RelayBodies {

    private static final JsonFactory JSON = JsonFactory.builder().build();

    private RelayBodies() {
    }

    /**
     * Prepare a body for relaying.
     * @param bytes the request body
     * @param callerKey the caller's token, cut out wherever it is a string value, or
     * {@code null}
     * @param bundleIdField the field of the bundle identifier
     * @param bundleId the bundle identifier to add when the body has none, or
     * {@code null} to add nothing
     * @return the body, ready for the environment's key
     */
    static RelayedBody prepare(byte[] bytes, Secret callerKey, String bundleIdField, String bundleId) {
        String text = decode(bytes);
        List<int[]> keyRanges = new ArrayList<>();
        int objectStart;
        boolean empty;
        boolean hasBundleId = false;
        try (JsonParser parser = JSON.createParser(text)) {
            JsonToken first = parser.nextToken();
            if (first != JsonToken.START_OBJECT) {
                throw invalid("The body must be a JSON object, as MAS Manage sends it");
            }
            objectStart = (int) parser.currentTokenLocation().getCharOffset();
            empty = parser.nextToken() == JsonToken.END_OBJECT;
            int depth = 1;
            JsonToken token = parser.currentToken();
            while (depth > 0) {
                if (token == JsonToken.FIELD_NAME && depth == 1 && bundleIdField.equals(parser.currentName())) {
                    hasBundleId = true;
                }
                else if (token == JsonToken.VALUE_STRING && callerKey != null
                        && parser.getText().equals(callerKey.reveal())) {
                    int start = (int) parser.currentTokenLocation().getCharOffset() + 1;
                    int end = (int) parser.currentLocation().getCharOffset() - 1;
                    keyRanges.add(new int[] { start, end });
                }
                if (token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) {
                    depth++;
                }
                else if (token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY) {
                    depth--;
                }
                token = (depth > 0) ? parser.nextToken() : null;
                if (depth > 0 && token == null) {
                    throw invalid("The body is not complete JSON: it ends inside an object or array");
                }
            }
            if (parser.nextToken() != null) {
                throw invalid("The body must hold one JSON object and nothing after it");
            }
        }
        catch (JsonProcessingException ex) {
            throw invalid("The body is not valid JSON: " + ex.getOriginalMessage());
        }
        catch (IOException ex) {
            throw new IllegalStateException("Reading JSON from a string cannot fail on I/O", ex);
        }
        String insertion = null;
        if (bundleId != null && !hasBundleId) {
            insertion = quote(bundleIdField) + ":" + quote(bundleId) + (empty ? "" : ",");
        }
        return assemble(text, keyRanges, objectStart + 1, insertion);
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

}
