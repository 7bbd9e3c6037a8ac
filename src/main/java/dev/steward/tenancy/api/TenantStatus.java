package dev.steward.tenancy.api;

import java.util.Locale;

/** An active tenant's keys work; a suspended tenant's keys stop working at once, and its data stays as it was. */
public enum TenantStatus {
    ACTIVE, SUSPENDED;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static TenantStatus fromWire(String value) {
        return valueOf(value.toUpperCase(Locale.ROOT));
    }
}
