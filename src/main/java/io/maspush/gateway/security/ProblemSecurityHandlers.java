package io.maspush.gateway.security;

import java.io.IOException;

import io.maspush.gateway.web.ProblemWriter;
import io.maspush.gateway.web.Problems;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authentication.InsufficientAuthenticationException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

/**
 * Answers 401 and 403 as problem details that tell the caller what to send instead.
 */
class ProblemSecurityHandlers implements AuthenticationEntryPoint, AccessDeniedHandler {

    private final ProblemWriter writer;

    ProblemSecurityHandlers(ProblemWriter writer) {
        this.writer = writer;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException ex)
            throws IOException {
        String detail = (ex instanceof InsufficientAuthenticationException)
                ? "This endpoint needs 'Authorization: Bearer <token>' with the token of a client configured under"
                        + " gateway.clients"
                : ex.getMessage();
        response.setHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
        this.writer.write(response,
                Problems.of(HttpStatus.UNAUTHORIZED, "unauthenticated", "Authentication required", detail));
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException ex)
            throws IOException {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        String who = (authentication != null) ? "Client '" + authentication.getName() + "'" : "This client";
        this.writer.write(response,
                Problems.of(HttpStatus.FORBIDDEN, "forbidden", "Not allowed",
                        who + " does not have the role this endpoint needs (SEND for notifications, ADMIN for"
                                + " administration); add it to the client's gateway.clients[n].roles, or to a JWT"
                                + " caller's roles claim"));
    }

}
