package io.maspush.gateway.push;

import java.util.List;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.maspush.gateway.secret.Secret;

/**
 * A caller's JSON body relayed as it was sent, with the caller's own key cut out of it.
 * The body is kept without any key; {@link #render(Secret)} puts the environment's real
 * key back at the same places when the message is sent, so a key rotated in between is
 * the one that goes out.
 *
 * @param template the caller's JSON with the characters of its key removed
 * @param keyOffsets where, in {@code template}, a key goes, in ascending order (the
 * inside of a JSON string)
 */
public record RelayedBody(String template, List<Integer> keyOffsets) {

    public RelayedBody {
        keyOffsets = List.copyOf(keyOffsets);
    }

    /**
     * The body to send.
     * @param key the environment's API key
     * @return the caller's JSON with {@code key} wherever the caller's key was
     */
    public String render(Secret key) {
        if (this.keyOffsets.isEmpty()) {
            return this.template;
        }
        char[] escaped = JsonStringEncoder.getInstance().quoteAsString(key.reveal());
        StringBuilder body = new StringBuilder(this.template.length() + this.keyOffsets.size() * escaped.length);
        int from = 0;
        for (int offset : this.keyOffsets) {
            body.append(this.template, from, offset).append(escaped);
            from = offset;
        }
        return body.append(this.template, from, this.template.length()).toString();
    }

}
