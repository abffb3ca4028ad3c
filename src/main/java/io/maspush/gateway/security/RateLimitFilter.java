package io.maspush.gateway.security;

import java.io.IOException;
import java.time.Duration;

import io.maspush.gateway.web.ProblemWriter;
import io.maspush.gateway.web.Problems;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Answers 429 with {@code Retry-After} when an authenticated client goes over its rate
 * limit.
 */
class RateLimitFilter extends OncePerRequestFilter {

    private final ClientRateLimits limits;

    private final ProblemWriter problems;

    RateLimitFilter(ClientRateLimits limits, ProblemWriter problems) {
        this.limits = limits;
        this.problems = problems;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication != null && authentication.getPrincipal() instanceof GatewayClient client) {
            Duration wait = this.limits.tryConsume(client.id());
            if (wait != null) {
                long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
                response.setHeader(HttpHeaders.RETRY_AFTER, String.valueOf(seconds));
                ProblemDetail problem = Problems.of(HttpStatus.TOO_MANY_REQUESTS, "rate-limited", "Too many requests",
                        "Client '" + client.id() + "' is over its rate limit; retry after " + seconds
                                + " s, or send several notifications in fewer requests");
                this.problems.write(response, problem);
                return;
            }
        }
        chain.doFilter(request, response);
    }

}
