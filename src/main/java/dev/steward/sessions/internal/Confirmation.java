package dev.steward.sessions.internal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;
import org.hibernate.annotations.ColumnTransformer;

/** A tool call that waits for a person: approved, denied, or expired when nobody decides in time. */
@Entity
@Table(schema = "sessions", name = "confirmations")
class Confirmation {

    enum State { PENDING, APPROVED, DENIED, EXPIRED }

    @Id
    private UUID id;

    @Column(name = "tenant_id", nullable = false, updatable = false)
    private UUID tenantId;

    @Column(name = "session_id", nullable = false, updatable = false)
    private UUID sessionId;

    @Column(name = "turn_id", nullable = false, updatable = false)
    private UUID turnId;

    @Column(name = "call_id", nullable = false, updatable = false)
    private String callId;

    @Column(nullable = false, updatable = false)
    private String tool;

    @Column(nullable = false, updatable = false)
    @ColumnTransformer(read = "arguments::text", write = "?::jsonb")
    private String arguments;

    @Column(nullable = false)
    private String state;

    private String comment;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    @Column(name = "expires_at", nullable = false, updatable = false)
    private Instant expiresAt;

    @Column(name = "decided_at")
    private Instant decidedAt;

    @Column(name = "decided_by")
    private String decidedBy;

    protected Confirmation() {
    }

    Confirmation(UUID tenantId, UUID sessionId, UUID turnId, String callId, String tool, String arguments,
                 Instant now, Instant expiresAt) {
        this.id = UUID.randomUUID();
        this.tenantId = tenantId;
        this.sessionId = sessionId;
        this.turnId = turnId;
        this.callId = callId;
        this.tool = tool;
        this.arguments = arguments;
        this.state = "pending";
        this.createdAt = now;
        this.expiresAt = expiresAt;
    }

    void decide(boolean approve, String comment, String principal, Instant now) {
        this.state = approve ? "approved" : "denied";
        this.comment = comment;
        this.decidedBy = principal;
        this.decidedAt = now;
    }

    UUID id() {
        return id;
    }

    UUID sessionId() {
        return sessionId;
    }

    UUID turnId() {
        return turnId;
    }

    String callId() {
        return callId;
    }

    String tool() {
        return tool;
    }

    String arguments() {
        return arguments;
    }

    State state() {
        return State.valueOf(state.toUpperCase(Locale.ROOT));
    }

    String comment() {
        return comment;
    }

    Instant createdAt() {
        return createdAt;
    }

    Instant expiresAt() {
        return expiresAt;
    }

    Instant decidedAt() {
        return decidedAt;
    }

    String decidedBy() {
        return decidedBy;
    }
}
