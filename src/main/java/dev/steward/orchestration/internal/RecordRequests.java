package dev.steward.orchestration.internal;

import jakarta.json.JsonObject;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;

/** What clients send to the records API. */
final class RecordRequests {

    private RecordRequests() {
    }

    /** {@code POST /api/v1/records}. */
    public record Create(@NotBlank String type, @NotNull JsonObject fields) {
    }

    /** {@code PUT /api/v1/records/{id}}: the new fields and the version they replace. */
    public record Update(@NotNull JsonObject fields, @NotNull @Min(1) Integer version) {
    }

    /** {@code PUT /api/v1/record-types/{name}}: the JSON schema the type's fields must meet. */
    public record DefineType(@NotNull JsonObject schema) {
    }
}
