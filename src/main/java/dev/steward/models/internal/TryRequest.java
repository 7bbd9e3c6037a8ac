package dev.steward.models.internal;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** {@code POST /api/v1/models/{name}/try}: one prompt (and an optional system message) through the gateway. */
public record TryRequest(@NotBlank @Size(max = 20_000) String prompt, @Size(max = 20_000) String system) {
}
