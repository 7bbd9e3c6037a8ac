package dev.steward.sessions.api;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Conversations held by clients that keep their own history (OpenAI-style chat completions): each request becomes a
 * session of the named agent, seeded with the earlier exchanges as done turns, and one new turn that runs like any
 * other (queued, metered, audited, its tokens streamed as events). The caller follows the turn with
 * {@link #progress} and ends the session when it has the answer.
 */
public interface Conversations {

    /**
     * Opens the session and sends {@code input}; empty when the tenant has no agent of that name. A refusal (a
     * quota, a budget) is thrown as the API would answer it.
     */
    Optional<Opened> open(String agentName, List<Exchange> history, String input);

    /** The turn's text deltas after event {@code afterSeq}, and how it ended if it has. */
    Progress progress(UUID sessionId, UUID turnId, long afterSeq);

    /** Ends the session; its history stays until eviction, like any session's. */
    void end(UUID sessionId);

    /** One earlier exchange: what the user said and what the assistant answered. */
    record Exchange(String user, String assistant) {
    }

    record Opened(UUID sessionId, UUID turnId, String agent) {
    }

    /** What happened since the last look: deltas, the last event's number, and the ending (null while running). */
    record Progress(List<String> deltas, long lastSeq, Ending ending) {

        public Progress {
            deltas = List.copyOf(deltas);
        }
    }

    /**
     * A turn's end here: its answer, or the error it failed with, or (with that error) that it stopped to wait for a
     * person's approval; the tokens it took.
     */
    record Ending(String answer, String error, boolean awaitsApproval, long inputTokens, long outputTokens) {

        public boolean failed() {
            return error != null;
        }
    }
}
