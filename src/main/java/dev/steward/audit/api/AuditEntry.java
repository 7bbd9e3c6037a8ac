package dev.steward.audit.api;

import jakarta.json.JsonObject;
import java.util.UUID;

/**
 * What happened, for the trail of the tenant in scope: an action ({@code agent.created}, {@code tool.called},
 * {@code confirmation.approved}, ...), what it concerned (any of agent, session, workflow run, record) and its
 * details. The actor is the request's principal. Details never carry personal data unmasked or secrets.
 */
public record AuditEntry(String action, UUID agentId, UUID sessionId, UUID runId, String recordId,
                         JsonObject details) {

    public static AuditEntry of(String action, JsonObject details) {
        return new AuditEntry(action, null, null, null, null, details);
    }

    public AuditEntry forAgent(UUID agent) {
        return new AuditEntry(action, agent, sessionId, runId, recordId, details);
    }

    public AuditEntry forSession(UUID session) {
        return new AuditEntry(action, agentId, session, runId, recordId, details);
    }
}
