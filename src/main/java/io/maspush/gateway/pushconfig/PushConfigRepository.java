package io.maspush.gateway.pushconfig;

import java.net.URI;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * Stores what administrators set, the audit trail of every change, and the last seen
 * settings of each source.
 */
@Repository
class PushConfigRepository {

    private final JdbcClient jdbc;

    PushConfigRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    List<StoredPushConfig> findAll() {
        return this.jdbc.sql("select * from push_config").query(this::mapConfig).list();
    }

    List<StoredPushConfig> findNewerThan(long version) {
        return this.jdbc.sql("select * from push_config where version > :version")
            .param("version", version)
            .query(this::mapConfig)
            .list();
    }

    Optional<StoredPushConfig> find(String environment) {
        return this.jdbc.sql("select * from push_config where environment = :environment")
            .param("environment", environment)
            .query(this::mapConfig)
            .optional();
    }

    /**
     * Insert or replace an environment's stored configuration with a version above every
     * stored one, so that other replicas polling for newer versions see it.
     * @param config the configuration; its version is ignored
     * @return the version given
     */
    long save(StoredPushConfig config) {
        long version = this.jdbc.sql("select coalesce(max(version), 0) + 1 from push_config")
            .query(Long.class)
            .single();
        int updated = this.jdbc.sql("""
                update push_config set bundle_id = :bundleId, url = :url, api_key_header = :header, proxy = :proxy,
                    api_key_ciphertext = :ciphertext, version = :version, updated_at = :updatedAt,
                    updated_by = :updatedBy
                where environment = :environment
                """).paramSource(params(config, version)).update();
        if (updated == 0) {
            this.jdbc.sql("""
                    insert into push_config (environment, bundle_id, url, api_key_header, proxy, api_key_ciphertext,
                        version, updated_at, updated_by)
                    values (:environment, :bundleId, :url, :header, :proxy, :ciphertext, :version, :updatedAt,
                        :updatedBy)
                    """).paramSource(params(config, version)).update();
        }
        return version;
    }

    void audit(AuditEntry entry) {
        this.jdbc.sql("""
                insert into push_config_audit (environment, changed_at, changed_by, fields, old_key_fingerprint,
                    new_key_fingerprint)
                values (:environment, :changedAt, :changedBy, :fields, :oldFingerprint, :newFingerprint)
                """)
            .param("environment", entry.environment())
            .param("changedAt", timestamp(entry.changedAt()))
            .param("changedBy", entry.changedBy())
            .param("fields", String.join(",", entry.fields()))
            .param("oldFingerprint", entry.oldKeyFingerprint())
            .param("newFingerprint", entry.newKeyFingerprint())
            .update();
    }

    List<AuditEntry> history(String environment, int page, int size) {
        return this.jdbc.sql("""
                select * from push_config_audit where environment = :environment
                order by changed_at desc, id desc
                limit :size offset :offset
                """)
            .param("environment", environment)
            .param("size", size)
            .param("offset", (long) page * size)
            .query(this::mapAudit)
            .list();
    }

    long countHistory(String environment) {
        return this.jdbc.sql("select count(*) from push_config_audit where environment = :environment")
            .param("environment", environment)
            .query(Long.class)
            .single();
    }

    /**
     * The newest change that set the key an environment now has.
     * @param environment the environment
     * @param fingerprint the current key's fingerprint
     * @return that change, if it was recorded
     */
    Optional<AuditEntry> lastKeyChange(String environment, String fingerprint) {
        return this.jdbc.sql("""
                select * from push_config_audit
                where environment = :environment and new_key_fingerprint = :fingerprint
                order by changed_at desc, id desc
                limit 1
                """)
            .param("environment", environment)
            .param("fingerprint", fingerprint)
            .query(this::mapAudit)
            .optional();
    }

    Optional<String> baseline(String environment, String source) {
        return this.jdbc
            .sql("select snapshot from push_config_baseline where environment = :environment" + " and source = :source")
            .param("environment", environment)
            .param("source", source)
            .query(String.class)
            .optional();
    }

    void saveBaseline(String environment, String source, String snapshot) {
        int updated = this.jdbc
            .sql("update push_config_baseline set snapshot = :snapshot"
                    + " where environment = :environment and source = :source")
            .param("environment", environment)
            .param("source", source)
            .param("snapshot", snapshot)
            .update();
        if (updated == 0) {
            this.jdbc
                .sql("insert into push_config_baseline (environment, source, snapshot)"
                        + " values (:environment, :source, :snapshot)")
                .param("environment", environment)
                .param("source", source)
                .param("snapshot", snapshot)
                .update();
        }
    }

    private static org.springframework.jdbc.core.namedparam.MapSqlParameterSource params(StoredPushConfig config,
            long version) {
        return new org.springframework.jdbc.core.namedparam.MapSqlParameterSource()
            .addValue("environment", config.environment())
            .addValue("bundleId", config.bundleId())
            .addValue("url", (config.url() != null) ? config.url().toString() : null)
            .addValue("header", config.apiKeyHeader())
            .addValue("proxy", config.proxy())
            .addValue("ciphertext", config.apiKeyCiphertext())
            .addValue("version", version)
            .addValue("updatedAt", timestamp(config.updatedAt()))
            .addValue("updatedBy", config.updatedBy());
    }

    private StoredPushConfig mapConfig(ResultSet rs, int rowNum) throws SQLException {
        String url = rs.getString("url");
        return new StoredPushConfig(rs.getString("environment"), rs.getString("bundle_id"),
                (url != null) ? URI.create(url) : null, rs.getString("api_key_header"), rs.getString("proxy"),
                rs.getString("api_key_ciphertext"), rs.getLong("version"),
                rs.getObject("updated_at", OffsetDateTime.class).toInstant(), rs.getString("updated_by"));
    }

    private AuditEntry mapAudit(ResultSet rs, int rowNum) throws SQLException {
        return new AuditEntry(rs.getString("environment"), rs.getObject("changed_at", OffsetDateTime.class).toInstant(),
                rs.getString("changed_by"), List.of(rs.getString("fields").split(",")),
                rs.getString("old_key_fingerprint"), rs.getString("new_key_fingerprint"));
    }

    private static OffsetDateTime timestamp(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    /**
     * An environment's configuration as an administrator stored it; {@code null} fields
     * are not overridden.
     *
     * @param environment the environment
     * @param bundleId the bundle identifier
     * @param url the URL
     * @param apiKeyHeader the key header
     * @param proxy the proxy ({@code host:port}, or empty for none)
     * @param apiKeyCiphertext the encrypted key
     * @param version the version, increasing with every save
     * @param updatedAt when it was saved
     * @param updatedBy who saved it
     */
    record StoredPushConfig(String environment, String bundleId, URI url, String apiKeyHeader, String proxy,
            String apiKeyCiphertext, long version, Instant updatedAt, String updatedBy) {
    }

    /**
     * One change in the audit trail.
     *
     * @param environment the environment
     * @param changedAt when
     * @param changedBy who: a client id, {@code file} or {@code config}
     * @param fields which fields changed
     * @param oldKeyFingerprint the fingerprint of the key before, or {@code null}
     * @param newKeyFingerprint the fingerprint of the key after, or {@code null}
     */
    record AuditEntry(String environment, Instant changedAt, String changedBy, List<String> fields,
            String oldKeyFingerprint, String newKeyFingerprint) {
    }

}
