package dev.steward.audit.api;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The trail of the tenant in scope, read: searched (newest first) and its hash chain verified, for those who look
 * back on it outside the REST API (the admin UI). Under the tenant's row-level security like every read.
 */
public interface AuditReader {

    /** Entries matching {@code search}, newest first, skipping {@code offset}, at most {@code limit}. */
    List<Entry> search(Search search, int offset, int limit);

    /**
     * Walks the chain from its first entry, a stretch at a time (each its own transaction, so a long trail holds
     * no transaction open), telling {@code progress} after each stretch; entries appended meanwhile are walked too.
     */
    Verification verify(Progress progress);

    /** Filters; each applies when not null. {@code from} is inclusive, {@code to} exclusive. */
    record Search(String action, String actor, Instant from, Instant to) {
    }

    /** One entry; {@code details} is its JSON text. */
    record Entry(long seq, Instant occurredAt, String actor, String action, UUID agentId, UUID sessionId,
                 UUID runId, String recordId, String details, String hash) {
    }

    /**
     * The walk's result: valid (with the last entry's number and hash), or the entry where the chain breaks and how
     * ({@code content}: an entry was changed; {@code link}: one was removed or reordered; {@code gap}: numbers
     * skip; {@code missing}: entries at the end are gone). {@code entries}: how many the trail holds;
     * {@code checked}: how many the walk read.
     */
    record Verification(boolean valid, long entries, long checked, Long lastSeq, String lastHash, Long brokenAt,
                        String problem) {
    }

    /** Told how far a walk has got: entries read so far, of how many the trail held when the walk began. */
    @FunctionalInterface
    interface Progress {

        Progress NONE = (checked, of) -> { };

        void walked(long checked, long of);
    }
}
