package io.maspush.gateway.web;

import java.io.IOException;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.MDC;

import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Gives every request an id that appears on each log line written while it is handled and
 * in the {@code X-Request-Id} answer header: the caller's own {@code X-Request-Id} when
 * it sends a sensible one, else the trace id of its W3C {@code traceparent}, else a new
 * one. An operator can then follow one request from Manage's log through the gateway's.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE)
public class RequestIdFilter extends OncePerRequestFilter {

    /** The MDC key, and the field name in structured logs. */
    public static final String MDC_KEY = "requestId";

    static final String HEADER = "X-Request-Id";

    private static final Pattern ACCEPTED_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

    private static final Pattern TRACEPARENT = Pattern.compile("[0-9a-f]{2}-([0-9a-f]{32})-[0-9a-f]{16}-[0-9a-f]{2}");

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String id = requestId(request);
        MDC.put(MDC_KEY, id);
        response.setHeader(HEADER, id);
        try {
            chain.doFilter(request, response);
        }
        finally {
            MDC.remove(MDC_KEY);
        }
    }

    static String requestId(HttpServletRequest request) {
        String given = request.getHeader(HEADER);
        if (given != null && ACCEPTED_ID.matcher(given).matches()) {
            return given;
        }
        String traceparent = request.getHeader("traceparent");
        if (traceparent != null) {
            Matcher matcher = TRACEPARENT.matcher(traceparent.strip());
            if (matcher.matches() && !matcher.group(1).equals("0".repeat(32))) {
                return matcher.group(1);
            }
        }
        return UUID.randomUUID().toString();
    }

}
