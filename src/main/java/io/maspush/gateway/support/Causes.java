package io.maspush.gateway.support;

/**
 * Looks through an exception's chain of causes. HTTP clients and parsers wrap the failure
 * that matters (a refused connection, an untrusted certificate, a malformed byte) several
 * layers deep, and the gateway explains failures by what is at the bottom.
 */
public final class Causes {

    private Causes() {
    }

    /**
     * The first exception of a type in a chain.
     * @param <T> the type
     * @param ex the outermost exception
     * @param type the type looked for
     * @return the exception, or {@code null} when none in the chain has that type
     */
    public static <T extends Throwable> T find(Throwable ex, Class<T> type) {
        for (Throwable cause = ex; cause != null; cause = next(cause)) {
            if (type.isInstance(cause)) {
                return type.cast(cause);
            }
        }
        return null;
    }

    public static boolean has(Throwable ex, Class<? extends Throwable> type) {
        return find(ex, type) != null;
    }

    /**
     * The innermost exception of a chain.
     * @param ex the outermost exception
     * @return the root cause, or {@code ex} itself
     */
    public static Throwable root(Throwable ex) {
        Throwable cause = ex;
        while (next(cause) != null) {
            cause = next(cause);
        }
        return cause;
    }

    private static Throwable next(Throwable cause) {
        return (cause.getCause() != cause) ? cause.getCause() : null;
    }

}
