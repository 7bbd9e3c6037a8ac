package dev.steward.audit.internal;

import jakarta.json.JsonObject;
import java.time.Instant;

/** What the audit API answers. */
final class AuditViews {

    private AuditViews() {
    }

    public record Entry(long seq, Instant occurredAt, String actor, String action, String agentId, String sessionId,
                        String runId, String recordId, JsonObject details, String hash) {
    }

    /**
     * The chain walked from the first entry: valid, or where it breaks and how ({@code content}: an entry was
     * changed; {@code link}: one was removed or reordered; {@code gap}: numbers skip; {@code missing}: entries at
     * the end are gone).
     */
    public record Verification(boolean valid, long entries, Long lastSeq, String lastHash, Long brokenAt,
                               String problem) {

        static Verification valid(long entries, Long lastSeq, String lastHash) {
            return new Verification(true, entries, lastSeq, lastHash, null, null);
        }

        static Verification broken(long entries, long at, String problem) {
            return new Verification(false, entries, null, null, at, problem);
        }
    }
}
