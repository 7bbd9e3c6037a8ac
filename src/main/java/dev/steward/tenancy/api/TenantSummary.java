package dev.steward.tenancy.api;

import java.time.Instant;

/** A tenant as other modules list it: for the admin UI's operator pages. */
public record TenantSummary(String id, String slug, String name, String status, Instant createdAt) {
}
