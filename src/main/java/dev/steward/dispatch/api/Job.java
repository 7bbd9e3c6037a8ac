package dev.steward.dispatch.api;

import dev.steward.shared.TenantId;

/**
 * A claimed job as its handler sees it. {@code attempt} counts from 1; {@code payloadJson} is the job's JSON payload.
 */
public record Job(long id, TenantId tenant, String kind, Priority priority, String payloadJson, int attempt,
                  int maxAttempts) {
}
