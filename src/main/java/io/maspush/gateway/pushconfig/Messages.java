package io.maspush.gateway.pushconfig;

/**
 * Turns what the network said into text that is safe to put in a step's message: no
 * control characters, and short.
 */
final class Messages {

    private static final int MAX_LENGTH = 160;

    private Messages() {
    }

    static String clean(String text) {
        if (text == null) {
            return "";
        }
        String clean = text.replaceAll("\\p{Cntrl}+", " ").strip();
        return (clean.length() > MAX_LENGTH) ? clean.substring(0, MAX_LENGTH) + "..." : clean;
    }

    static String describe(Throwable ex) {
        String message = clean(ex.getMessage());
        return message.isEmpty() ? ex.getClass().getSimpleName() : message;
    }

}
