package dev.steward.quota.api;

import dev.steward.shared.TenantId;
import java.util.UUID;

/** An agent as limits see it: agents belong to a tenant, so another tenant naming the same id is another agent. */
public record AgentKey(TenantId tenant, UUID agent) {
}
