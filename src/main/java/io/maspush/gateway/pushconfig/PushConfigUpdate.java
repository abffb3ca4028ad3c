package io.maspush.gateway.pushconfig;

import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * The body of {@code PUT /api/v1/admin/environments/{env}/push-config}. Fields left out
 * keep their current value; the API key is changed only when given.
 *
 * @param bundleId the bundle identifier, in reverse-DNS form
 * @param url the push service URL: absolute, https, no user information, no fragment
 * @param apiKeyHeader the header that carries the key
 * @param proxy the proxy as {@code host:port}, or an empty string for a direct connection
 * @param apiKey a new API key: no whitespace or control characters. The service checks it
 * rather than a bean constraint, because a constraint violation carries the rejected
 * value into Spring's debug log
 */
public record PushConfigUpdate(
        @Size(max = 255) @Pattern(regexp = "[A-Za-z][A-Za-z0-9_-]*(\\.[A-Za-z0-9_-]+)+",
                message = "must be in reverse-DNS form, such as com.ibm.iot.maximo.mobile") String bundleId,
        @Size(max = 2048) String url,
        @Pattern(regexp = "[A-Za-z0-9-]{1,64}",
                message = "must be an HTTP header name of letters, digits and '-'") String apiKeyHeader,
        @Size(max = 300) String proxy, String apiKey) {

    @Override
    public String toString() {
        return "PushConfigUpdate[bundleId=" + this.bundleId + ", url=" + this.url + ", apiKeyHeader="
                + this.apiKeyHeader + ", proxy=" + this.proxy + ", apiKey=" + ((this.apiKey != null) ? "******" : null)
                + "]";
    }

}
