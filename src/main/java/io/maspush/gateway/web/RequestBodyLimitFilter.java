package io.maspush.gateway.web;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses request bodies over 64 KiB (4 MiB for a batch of notifications) with 413,
 * before anything reads them: at once when {@code Content-Length} says so, and as soon as
 * the limit is passed for a chunked body.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class RequestBodyLimitFilter extends OncePerRequestFilter {

    static final int MAX_BODY_BYTES = 64 * 1024;

    /**
     * Room for 500 notifications of a realistic size; each string is still at most 64
     * KiB.
     */
    static final int MAX_BATCH_BODY_BYTES = 4 * 1024 * 1024;

    static final String BATCH_PATH = "/api/v1/notifications:batch";

    private final ProblemWriter problems;

    RequestBodyLimitFilter(ProblemWriter problems) {
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        int limit = BATCH_PATH.equals(request.getRequestURI()) ? MAX_BATCH_BODY_BYTES : MAX_BODY_BYTES;
        if (request.getContentLengthLong() > limit) {
            this.problems.write(response, tooLarge(limit));
            return;
        }
        chain.doFilter(new LimitedRequest(request, limit), response);
    }

    static org.springframework.http.ProblemDetail tooLarge(int limit) {
        return Problems.of(HttpStatus.PAYLOAD_TOO_LARGE, "body-too-large", "Request body too large",
                "The request body must be at most " + limit + " bytes (" + (limit / 1024) + " KiB)");
    }

    /**
     * Thrown when a body turns out to be longer than allowed while it is read.
     */
    static final class BodyTooLargeException extends IOException {

        private final int limit;

        BodyTooLargeException(int limit) {
            super("Request body exceeds " + limit + " bytes");
            this.limit = limit;
        }

        int limit() {
            return this.limit;
        }

    }

    private static final class LimitedRequest extends HttpServletRequestWrapper {

        private final int limit;

        private ServletInputStream stream;

        LimitedRequest(HttpServletRequest request, int limit) {
            super(request);
            this.limit = limit;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (this.stream == null) {
                this.stream = new LimitedInputStream(super.getInputStream(), this.limit);
            }
            return this.stream;
        }

    }

    private static final class LimitedInputStream extends ServletInputStream {

        private final ServletInputStream delegate;

        private final int limit;

        private long count;

        LimitedInputStream(ServletInputStream delegate, int limit) {
            this.delegate = delegate;
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int value = this.delegate.read();
            if (value != -1) {
                count(1);
            }
            return value;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int read = this.delegate.read(buffer, offset, length);
            if (read > 0) {
                count(read);
            }
            return read;
        }

        private void count(int read) throws BodyTooLargeException {
            this.count += read;
            if (this.count > this.limit) {
                throw new BodyTooLargeException(this.limit);
            }
        }

        @Override
        public boolean isFinished() {
            return this.delegate.isFinished();
        }

        @Override
        public boolean isReady() {
            return this.delegate.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            this.delegate.setReadListener(listener);
        }

    }

}
