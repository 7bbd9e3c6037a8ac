package dev.steward.orchestration.internal;

import jakarta.json.JsonObject;
import java.time.Instant;

/** What the records API answers. */
final class RecordViews {

    private RecordViews() {
    }

    public record Record(String id, String type, JsonObject fields, int version, Instant createdAt,
                         Instant updatedAt) {
    }

    public record Version(int version, String change, JsonObject fields, Instant changedAt, String changedBy) {
    }

    /** A record type: built in (any fields) or the tenant's own, with the schema its records' fields must meet. */
    public record RecordType(String name, JsonObject schema, boolean builtIn) {
    }
}
