package dev.steward.shared;

import java.util.Objects;
import java.util.UUID;

/** A tenant's identity. Other modules refer to a tenant only by this, never by the tenancy module's entity. */
public record TenantId(UUID value) {

    public TenantId {
        Objects.requireNonNull(value, "value");
    }

    public static TenantId random() {
        return new TenantId(UUID.randomUUID());
    }

    public static TenantId of(String text) {
        return new TenantId(UUID.fromString(text));
    }

    @Override
    public String toString() {
        return value.toString();
    }
}
