package dev.steward.tenancy.internal;

import dev.steward.shared.TenantId;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A tenant's API key. Only the visible prefix and a keyed hash of the secret are kept; the full key exists once,
 * in the answer that created it. Revocation is permanent.
 */
@Entity
@Table(schema = "tenancy", name = "api_keys")
class ApiKey {

    // The table's primary key is (tenant_id, id); id alone is unique too, being random.
    @Id
    private UUID id;

    @Column(name = "tenant_id", nullable = false, updatable = false)
    private UUID tenantId;

    @Column(nullable = false, updatable = false)
    private String name;

    @Column(nullable = false, updatable = false)
    private String prefix;

    @Column(name = "secret_hash", nullable = false, updatable = false)
    private byte[] secretHash;

    @Column(nullable = false, updatable = false)
    private String[] scopes;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    @Column(name = "last_used_at", insertable = false, updatable = false)
    private Instant lastUsedAt;

    @Column(name = "revoked_at")
    private Instant revokedAt;

    protected ApiKey() {
    }

    ApiKey(TenantId tenant, String name, String prefix, byte[] secretHash, List<String> scopes) {
        this.id = UUID.randomUUID();
        this.tenantId = tenant.value();
        this.name = name;
        this.prefix = prefix;
        this.secretHash = secretHash.clone();
        this.scopes = scopes.toArray(String[]::new);
        this.createdAt = Instant.now();
    }

    UUID id() {
        return id;
    }

    TenantId tenantId() {
        return new TenantId(tenantId);
    }

    String name() {
        return name;
    }

    String prefix() {
        return prefix;
    }

    List<String> scopes() {
        return List.of(scopes);
    }

    Instant createdAt() {
        return createdAt;
    }

    Instant lastUsedAt() {
        return lastUsedAt;
    }

    Instant revokedAt() {
        return revokedAt;
    }

    void revoke() {
        if (revokedAt == null) {
            revokedAt = Instant.now();
        }
    }
}
