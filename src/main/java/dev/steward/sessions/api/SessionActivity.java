package dev.steward.sessions.api;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The tenant in scope's sessions as people look back on them (the admin UI): a filtered list, and one session's
 * transcript, the moves of its turns with their times, its confirmations and its events. Reads only, under the
 * tenant's row-level security: another tenant's session is not found.
 */
public interface SessionActivity {

    /** Sessions matching {@code filter}, newest first, skipping {@code offset}, at most {@code limit}. */
    List<Summary> list(Filter filter, int offset, int limit);

    /** The session with its turns, timeline and confirmations; empty when the tenant has no such session. */
    Optional<Detail> find(UUID sessionId);

    /** The session's events numbered after {@code afterSeq}, in order, at most {@code limit}. */
    List<Event> events(UUID sessionId, long afterSeq, int limit);

    /**
     * Filters; each applies when not null. {@code agentName} is a live agent's name (one no live agent has matches
     * nothing); {@code state} is active, ended or evicted; {@code from} (inclusive) and {@code to} (exclusive)
     * bound when the session started.
     */
    record Filter(String agentName, String state, Instant from, Instant to) {
    }

    /** A session and its totals (kept after eviction); {@code cost} in the installation's currency. */
    record Summary(UUID id, UUID agentId, String agentName, int agentVersion, String state, int turns,
                   Instant startedAt, Instant lastActivityAt, Instant endedAt, long inputTokens, long outputTokens,
                   BigDecimal cost) {
    }

    /** What a session holds until it is evicted (then only its summary is left). */
    record Detail(Summary session, List<Turn> turns, List<Moment> timeline, List<Confirmation> confirmations) {
    }

    /** One exchange: what was asked, where it stands, and its answer or error. */
    record Turn(UUID id, int number, String input, String state, String answer, String error, Instant receivedAt,
                Instant finishedAt, long modelMillis) {
    }

    /**
     * A moment of the session's timeline, from its events: the session starting and ending, a turn received, each
     * move of a turn's state ({@code what} is the state it moved to), confirmations asked and decided, failures.
     * {@code turn} is the turn's number, 0 for the session's own moments.
     */
    record Moment(Instant at, int turn, String what, String detail) {
    }

    /** A tool call that waited for a person. */
    record Confirmation(UUID id, int turn, String tool, String state, Instant requestedAt, Instant decidedAt,
                        String decidedBy, String comment) {
    }

    /** One event as clients streamed it; {@code data} is its JSON text. */
    record Event(long seq, String type, UUID turnId, String data, Instant at) {
    }
}
