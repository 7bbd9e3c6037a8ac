package dev.steward.sessions.internal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.UUID;
import org.hibernate.annotations.ColumnTransformer;

/**
 * A session: the agent version it is pinned to, its state, the agent's own state (JSON), when it expires if left
 * idle, the counter its events are numbered by, and its totals, which stay when it is evicted.
 */
@Entity
@Table(schema = "sessions", name = "sessions")
class AgentSession {

    enum State { ACTIVE, ENDED, EVICTED }

    @Id
    private UUID id;

    @Column(name = "tenant_id", nullable = false, updatable = false)
    private UUID tenantId;

    @Column(name = "agent_id", nullable = false, updatable = false)
    private UUID agentId;

    @Column(name = "agent_version", nullable = false, updatable = false)
    private int agentVersion;

    @Column(nullable = false)
    private String state;

    @Column(name = "agent_state", nullable = false)
    @ColumnTransformer(read = "agent_state::text", write = "?::jsonb")
    private String agentState;

    @Column(name = "idle_ttl_seconds", nullable = false, updatable = false)
    private int idleTtlSeconds;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    @Column(name = "last_activity_at", nullable = false)
    private Instant lastActivityAt;

    @Column(name = "expires_at", nullable = false)
    private Instant expiresAt;

    @Column(name = "ended_at")
    private Instant endedAt;

    @Column(name = "last_event_seq", nullable = false)
    private long lastEventSeq;

    @Column(name = "turn_count", nullable = false)
    private int turnCount;

    @Column(name = "input_tokens", nullable = false)
    private long inputTokens;

    @Column(name = "output_tokens", nullable = false)
    private long outputTokens;

    @Column(nullable = false)
    private BigDecimal cost;

    @Version
    private long version;

    protected AgentSession() {
    }

    AgentSession(UUID tenantId, UUID agentId, int agentVersion, Duration idleTtl, Instant now) {
        this.id = UUID.randomUUID();
        this.tenantId = tenantId;
        this.agentId = agentId;
        this.agentVersion = agentVersion;
        this.state = "active";
        this.agentState = "{}";
        this.idleTtlSeconds = (int) idleTtl.toSeconds();
        this.createdAt = now;
        this.cost = BigDecimal.ZERO;
        touch(now);
    }

    /** Activity moves the idle deadline. */
    void touch(Instant now) {
        lastActivityAt = now;
        expiresAt = now.plusSeconds(idleTtlSeconds);
    }

    void end(Instant now) {
        state = "ended";
        endedAt = now;
    }

    /** Reserves {@code count} event numbers; the caller holds the row's lock, so they commit in order. */
    long reserveEvents(int count) {
        long first = lastEventSeq + 1;
        lastEventSeq += count;
        return first;
    }

    int nextTurnNumber() {
        return ++turnCount;
    }

    void addUsage(int input, int output, BigDecimal callCost) {
        inputTokens += input;
        outputTokens += output;
        cost = cost.add(callCost);
    }

    void agentState(String json) {
        agentState = json;
    }

    UUID id() {
        return id;
    }

    UUID tenantId() {
        return tenantId;
    }

    UUID agentId() {
        return agentId;
    }

    int agentVersion() {
        return agentVersion;
    }

    State state() {
        return State.valueOf(state.toUpperCase(Locale.ROOT));
    }

    String agentState() {
        return agentState;
    }

    Instant createdAt() {
        return createdAt;
    }

    Instant lastActivityAt() {
        return lastActivityAt;
    }

    Instant expiresAt() {
        return expiresAt;
    }

    Instant endedAt() {
        return endedAt;
    }

    long lastEventSeq() {
        return lastEventSeq;
    }

    int turnCount() {
        return turnCount;
    }

    long inputTokens() {
        return inputTokens;
    }

    long outputTokens() {
        return outputTokens;
    }

    BigDecimal cost() {
        return cost;
    }
}
