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

    /** One record with its place in the runs that hold it or wait for it. */
    public record Detail(String id, String type, JsonObject fields, int version, Instant createdAt,
                         Instant updatedAt, java.util.List<RunViews.Activity> workflows) {

        static Detail of(Record record, java.util.List<RunViews.Activity> workflows) {
            return new Detail(record.id(), record.type(), record.fields(), record.version(), record.createdAt(),
                    record.updatedAt(), workflows);
        }
    }

    public record Version(int version, String change, JsonObject fields, Instant changedAt, String changedBy) {
    }

    /** A record type: built in (any fields) or the tenant's own, with the schema its records' fields must meet. */
    public record RecordType(String name, JsonObject schema, boolean builtIn) {
    }
}
