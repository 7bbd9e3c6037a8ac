package dev.steward.sessions.api;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Conversations of protocol clients with the tenant's agents. Clients that keep their own history (OpenAI-style chat
 * completions) open a session per request, seeded with the earlier exchanges as done turns, and one new turn that
 * runs like any other (queued, metered, audited, its tokens streamed as events), follow it with {@link #progress} and
 * end the session when they have the answer. Clients whose conversations Steward keeps (A2A: a context is a session,
 * a task a turn) {@link #resume} a session, look turns up by id and cancel them.
 */
public interface Conversations {

    /** The error a turn canceled by its client ends with. */
    String CANCELED = "Canceled by the client";

    /**
     * Opens the session and sends {@code input}; empty when the tenant has no agent of that name. A refusal (a
     * quota, a budget) is thrown as the API would answer it.
     */
    Optional<Opened> open(String agentName, List<Exchange> history, String input);

    /** The turn's text deltas after event {@code afterSeq}, and how it ended if it has. */
    Progress progress(UUID sessionId, UUID turnId, long afterSeq);

    /** Ends the session; its history stays until eviction, like any session's. */
    void end(UUID sessionId);

    /**
     * Sends {@code input} as a new turn of an earlier session of the named agent; empty when the tenant has no such
     * session of that agent. A refusal (an ended session, a quota) is thrown as the API would answer it.
     */
    Optional<Opened> resume(UUID sessionId, String agentName, String input);

    /** A turn of one of the named agent's sessions as it stands; empty for an unknown turn or another agent's. */
    Optional<TurnStatus> status(UUID turnId, String agentName);

    /** Stops the turn if it is still running; false when it had ended. */
    boolean cancel(TurnStatus turn);

    /** A turn: its session, what was asked, its state (received ... done, failed), the answer or the error. */
    record TurnStatus(UUID sessionId, UUID turnId, String input, String state, String answer, String error,
                      Instant updatedAt) {

        public boolean ended() {
            return state.equals("done") || state.equals("failed");
        }

        public boolean canceled() {
            return CANCELED.equals(error);
        }
    }

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
