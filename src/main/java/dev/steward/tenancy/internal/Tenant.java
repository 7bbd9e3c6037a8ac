package dev.steward.tenancy.internal;

import dev.steward.shared.TenantId;
import dev.steward.tenancy.api.TenantStatus;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/** An organization on this installation. Its slug is unique and never changes; its status gates its keys. */
@Entity
@Table(schema = "tenancy", name = "tenants")
class Tenant {

    @Id
    private UUID id;

    @Column(nullable = false, updatable = false)
    private String slug;

    @Column(nullable = false)
    private String name;

    @Column(nullable = false)
    private String status;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    protected Tenant() {
    }

    Tenant(TenantId id, String slug, String name) {
        this.id = id.value();
        this.slug = slug;
        this.name = name;
        this.status = TenantStatus.ACTIVE.wireName();
        this.createdAt = Instant.now();
        this.updatedAt = createdAt;
    }

    TenantId id() {
        return new TenantId(id);
    }

    String slug() {
        return slug;
    }

    String name() {
        return name;
    }

    TenantStatus status() {
        return TenantStatus.fromWire(status);
    }

    Instant createdAt() {
        return createdAt;
    }

    void changeStatus(TenantStatus newStatus) {
        if (status() != newStatus) {
            status = newStatus.wireName();
            updatedAt = Instant.now();
        }
    }
}
