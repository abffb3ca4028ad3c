package io.maspush.gateway.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;
import java.util.function.UnaryOperator;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.maspush.gateway.support.GatewayTestSupport;
import io.maspush.gateway.support.UpstreamStub;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.http.MediaType;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MvcResult;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static io.maspush.gateway.support.ProblemAssertions.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatRuntimeException;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/**
 * Callers with a JWT from an identity provider, beside the configured clients: the claims
 * decide the client id, roles and environment, and every refusal says why without quoting
 * the token. The identity provider is WireMock serving a key set generated here.
 */
@TestPropertySource(properties = { "gateway.security.jwt.audience=" + JwtAuthenticationTests.AUDIENCE,
        "gateway.security.jwt.allow-insecure-uri=true" })
class JwtAuthenticationTests extends GatewayTestSupport {

    static final String AUDIENCE = "mas-push-gateway";

    private static final String JWKS_PATH = "/jwks.json";

    private static final String DISCOVERY_PATH = "/issuer/.well-known/openid-configuration";

    private static final RSAKey KEY = generateKey("gateway-test-key");

    /** Another key under the same key id, so that only the signature tells them apart. */
    private static final RSAKey IMPOSTOR_KEY = generateKey("gateway-test-key");

    @DynamicPropertySource
    static void identityProvider(DynamicPropertyRegistry registry) {
        registry.add("gateway.security.jwt.issuer-uri", JwtAuthenticationTests::issuer);
        registry.add("gateway.security.jwt.jwk-set-uri", () -> baseUrl() + JWKS_PATH);
    }

    @BeforeEach
    void publishKeys() {
        UpstreamStub.server()
            .stubFor(get(urlEqualTo(JWKS_PATH)).willReturn(okJson(new JWKSet(KEY.toPublicJWK()).toString())));
    }

    @Test
    void sendsANotificationWithAJwtAndShowsItToTheSameClient() throws Exception {
        MvcResult sent = postNotification(token(KEY, (claims) -> claims));

        assertThat(sent.getResponse().getStatus()).as(sent.getResponse().getContentAsString()).isEqualTo(202);
        UUID id = UUID.fromString(this.json.readTree(sent.getResponse().getContentAsString()).get("id").asText());
        assertThat(
                this.jdbc.sql("select client_id from notification where id = ?").param(id).query(String.class).single())
            .isEqualTo("manage-jwt");
        MvcResult shown = getNotification(id, token(KEY, (claims) -> claims));
        assertThat(shown.getResponse().getStatus()).isEqualTo(200);
        assertThat(this.json.readTree(shown.getResponse().getContentAsString()).get("id").asText())
            .isEqualTo(id.toString());
        assertThat(getNotification(id, SENDER_TOKEN).getResponse().getStatus()).isEqualTo(404);
        awaitDelivered();
    }

    @Test
    void takesTheClientIdFromTheSubjectWhenTheTokenHasNoAuthorisedParty() throws Exception {
        MvcResult sent = postNotification(token(KEY, (claims) -> claims.claim("azp", null)));

        assertThat(sent.getResponse().getStatus()).isEqualTo(202);
        assertThat(this.jdbc.sql("select client_id from notification").query(String.class).single())
            .isEqualTo("service-account-manage");
        awaitDelivered();
    }

    @Test
    void acceptsRolesAsASpaceSeparatedStringIgnoringUnknownOnes() throws Exception {
        MvcResult sent = postNotification(token(KEY, (claims) -> claims.claim("roles", "offline_access SEND")));

        assertThat(sent.getResponse().getStatus()).isEqualTo(202);
        awaitDelivered();
    }

    @Test
    void forbidsAJwtWithOnlyTheAdminRoleToSend() throws Exception {
        MvcResult result = postNotification(token(KEY, (claims) -> claims.claim("roles", List.of("ADMIN"))));

        JsonNode problem = assertProblem(result, 403);
        assertThat(problem.get("detail").asText()).contains("manage-jwt").contains("SEND");
        assertNothingSent();
    }

    @Test
    void refusesAnExpiredJwt() throws Exception {
        Instant past = Instant.now().minus(Duration.ofMinutes(10));
        String token = token(KEY,
                (claims) -> claims.issueTime(Date.from(past.minusSeconds(300))).expirationTime(Date.from(past)));

        assertRefused(token, "expired");
    }

    @Test
    void refusesAJwtWithoutExpiry() throws Exception {
        assertRefused(token(KEY, (claims) -> claims.expirationTime(null)), "no expiry");
    }

    @Test
    void refusesAJwtSignedByAnotherKey() throws Exception {
        assertRefused(token(IMPOSTOR_KEY, (claims) -> claims), "signature");
    }

    @Test
    void refusesAJwtFromAnotherIssuer() throws Exception {
        assertRefused(token(KEY, (claims) -> claims.issuer("https://idp.example.com/other")), "issuer");
    }

    @Test
    void refusesAJwtForAnotherAudience() throws Exception {
        assertRefused(token(KEY, (claims) -> claims.audience("another-service")), "audience");
    }

    @Test
    void refusesAJwtBoundToAnUnknownEnvironment() throws Exception {
        assertRefused(token(KEY, (claims) -> claims.claim("environment", "nowhere")), "environment 'nowhere'");
    }

    @Test
    void refusesAJwtWithoutAKnownRole() throws Exception {
        assertRefused(token(KEY, (claims) -> claims.claim("roles", List.of("READER"))), "no roles");
    }

    @Test
    void refusesAJwtClaimingTheIdOfAConfiguredClient() throws Exception {
        assertRefused(token(KEY, (claims) -> claims.claim("azp", "sender")), "gateway.clients");
    }

    @Test
    void refusesAMalformedJwtWithoutAnError() throws Exception {
        assertRefused("a.b.c", "well-formed");
    }

    @Test
    void stillAcceptsTheConfiguredClientsTokens() throws Exception {
        UUID id = send(MINIMAL);

        assertThat(status(id).get("id").asText()).isEqualTo(id.toString());
        awaitStatus(id, "DELIVERED");
    }

    @Test
    void discoversTheKeysThroughTheIssuersOpenIdConfigurationOnFirstUse() throws Exception {
        String issuer = issuer();
        JwtProperties properties = new JwtProperties(issuer, null, AUDIENCE, "azp", "roles", "environment",
                Duration.ofSeconds(60), Duration.ofSeconds(2), true);
        String token = token(KEY, (claims) -> claims);

        JwtDecoder decoder = GatewayJwtDecoders.create(properties, Clock.systemUTC());

        UpstreamStub.server().verify(0, getRequestedFor(urlEqualTo(DISCOVERY_PATH)));
        assertThatRuntimeException().isThrownBy(() -> decoder.decode(token))
            .satisfies((ex) -> assertThat(JwtFailures.describe(ex)).contains("OpenID configuration"));
        UpstreamStub.server()
            .stubFor(get(urlEqualTo(DISCOVERY_PATH)).willReturn(
                    okJson("{\"issuer\": \"" + issuer + "\", \"jwks_uri\": \"" + baseUrl() + JWKS_PATH + "\"}")));
        Jwt jwt = decoder.decode(token);
        assertThat(jwt.getClaimAsString("azp")).isEqualTo("manage-jwt");
        UpstreamStub.server().verify(2, getRequestedFor(urlEqualTo(DISCOVERY_PATH)));
    }

    private void assertRefused(String token, String reason) throws Exception {
        MvcResult result = postNotification(token);

        JsonNode problem = assertProblem(result, 401);
        assertThat(result.getResponse().getHeader("WWW-Authenticate")).isEqualTo("Bearer");
        assertThat(problem.get("detail").asText()).contains(reason);
        assertThat(result.getResponse().getContentAsString()).doesNotContain(token);
        assertNothingSent();
    }

    /**
     * Wait until everything sent was delivered, so that no call to the push service lands
     * in the next test.
     */
    private void awaitDelivered() {
        await().atMost(Duration.ofSeconds(10))
            .until(() -> this.jdbc.sql("select count(*) from notification where status <> 'DELIVERED'")
                .query(Long.class)
                .single() == 0);
    }

    private void assertNothingSent() throws InterruptedException {
        assertThat(this.jdbc.sql("select count(*) from notification").query(Long.class).single()).isZero();
        Thread.sleep(100);
        UpstreamStub.server().verify(0, postRequestedFor(urlEqualTo(UpstreamStub.PATH)));
    }

    private MvcResult postNotification(String token) throws Exception {
        return this.mvc
            .perform(post("/api/v1/notifications").header("Authorization", "Bearer " + token)
                .contentType(MediaType.APPLICATION_JSON)
                .content(MINIMAL))
            .andReturn();
    }

    private MvcResult getNotification(UUID id, String token) throws Exception {
        return this.mvc
            .perform(org.springframework.test.web.servlet.request.MockMvcRequestBuilders
                .get("/api/v1/notifications/{id}", id)
                .header("Authorization", "Bearer " + token))
            .andReturn();
    }

    private static String token(RSAKey key, UnaryOperator<JWTClaimsSet.Builder> customizer) throws JOSEException {
        Instant now = Instant.now();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(issuer())
            .audience(AUDIENCE)
            .subject("service-account-manage")
            .claim("azp", "manage-jwt")
            .claim("roles", List.of("SEND"))
            .issueTime(Date.from(now))
            .expirationTime(Date.from(now.plus(Duration.ofMinutes(5))));
        SignedJWT jwt = new SignedJWT(
                new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(),
                customizer.apply(claims).build());
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private static String baseUrl() {
        return "http://localhost:" + UpstreamStub.server().port();
    }

    private static String issuer() {
        return baseUrl() + "/issuer";
    }

    private static RSAKey generateKey(String keyId) {
        try {
            return new RSAKeyGenerator(2048).keyID(keyId).generate();
        }
        catch (JOSEException ex) {
            throw new IllegalStateException(ex);
        }
    }

}
