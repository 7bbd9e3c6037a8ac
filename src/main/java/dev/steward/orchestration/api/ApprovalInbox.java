package dev.steward.orchestration.api;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The tenant in scope's approvals inbox, for people deciding outside the REST API (the admin UI): what waits, and
 * the decision, which is recorded, audited and acted on exactly as {@code POST /api/v1/approvals/{id}} does.
 */
public interface ApprovalInbox {

    /** Pending approvals, newest first. */
    List<Pending> pending(int limit);

    Outcome decide(UUID approval, boolean approve, String comment);

    enum Outcome { DECIDED, UNKNOWN, NO_LONGER_PENDING }

    /** An approval waiting for a person: why, the proposed action (JSON text) and what the specialist said. */
    record Pending(UUID id, UUID run, String node, String reason, String action, BigDecimal confidence,
                   String reasoning, Instant createdAt, Instant expiresAt) {
    }
}
