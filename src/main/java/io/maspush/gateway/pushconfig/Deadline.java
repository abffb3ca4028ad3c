package io.maspush.gateway.pushconfig;

import java.io.Closeable;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs one blocking network action under a hard time limit. A DNS lookup has no timeout
 * of its own, and a socket's read timeout applies to each read, not to a whole exchange
 * such as a TLS handshake. So the action runs on a daemon thread of its own; when the
 * time is up the caller gets a {@link TimeoutException} and the connection is closed,
 * which ends the action (a DNS lookup ends by itself later).
 */
final class Deadline {

    private Deadline() {
    }

    static <T> T run(String name, Duration timeout, IoAction<T> action, Closeable onTimeout)
            throws IOException, TimeoutException {
        FutureTask<T> task = new FutureTask<>(action::run);
        Thread thread = new Thread(task, "connectivity-check-" + name);
        thread.setDaemon(true);
        thread.start();
        try {
            return task.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (TimeoutException ex) {
            closeQuietly(onTimeout);
            task.cancel(true);
            throw ex;
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            closeQuietly(onTimeout);
            throw new InterruptedIOException("interrupted");
        }
        catch (ExecutionException ex) {
            throw unwrap(ex.getCause());
        }
    }

    private static IOException unwrap(Throwable cause) {
        if (cause instanceof IOException io) {
            return io;
        }
        if (cause instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        return new IOException(cause);
    }

    private static void closeQuietly(Closeable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        }
        catch (IOException ex) {
            // The connection is abandoned either way; there is nothing left to report.
        }
    }

    /**
     * A blocking network action.
     *
     * @param <T> what it produces
     */
    @FunctionalInterface
    interface IoAction<T> {

        T run() throws IOException;

    }

}
