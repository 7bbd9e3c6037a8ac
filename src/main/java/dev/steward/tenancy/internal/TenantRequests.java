package dev.steward.tenancy.internal;

import dev.steward.tenancy.api.Scopes;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;

/** Request bodies of the tenancy API. */
public final class TenantRequests {

    private TenantRequests() {
    }

    /** {@code POST /api/v1/admin/tenants}. */
    public record NewTenant(
            @NotBlank @Size(max = 63)
            @Pattern(regexp = "[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?",
                    message = "must be lowercase letters, digits and inner hyphens")
            String slug,
            @NotBlank @Size(max = 200) String name) {
    }

    /** {@code POST /api/v1/admin/tenants/{id}/api-keys}; without scopes the key gets {@code ["*"]}. */
    public record NewApiKey(
            @Size(min = 1, max = 200) String name,
            @Size(min = 1, max = 50)
            List<@NotNull @Pattern(regexp = Scopes.PATTERN,
                    message = "must be '*' or '<resource>:<read|write|*>'") String> scopes) {

        String nameOrDefault() {
            return name == null ? "api key" : name;
        }

        List<String> scopesOrDefault() {
            return scopes == null ? List.of(Scopes.ALL) : List.copyOf(scopes);
        }
    }
}
