package dev.steward.sessions.internal;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.UUID;

/** What clients send to the sessions API. */
final class SessionRequests {

    private SessionRequests() {
    }

    /** {@code POST /api/v1/sessions}: the agent to talk to (its current version is pinned). */
    public record Start(@NotNull UUID agentId) {
    }

    /** {@code POST /api/v1/sessions/{id}/turns}: the user's message. */
    public record Send(@NotBlank @Size(max = 100_000) String input) {
    }

    /** {@code POST /api/v1/sessions/{id}/confirmations/{cid}}: approve or deny, with an optional comment. */
    public record Decide(@NotNull Boolean approve, @Size(max = 2000) String comment) {
    }
}
