package dev.steward.admin.internal;

import dev.steward.shared.FieldError;
import dev.steward.shared.ProblemException;
import dev.steward.shared.ProblemType;
import dev.steward.shared.TenantId;
import dev.steward.tenancy.api.OperatorApi;
import dev.steward.tenancy.api.TenantDirectory;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The operator's admin accounts ({@code PUT /api/v1/admin/accounts/{email}}): creates the account, or replaces its
 * password, role and tenant (and unlocks it). Roles: {@code operator} (no tenant), {@code tenant-admin} (a tenant),
 * {@code analyst} (a tenant, or none for all tenants). Passwords are at least 12 characters and stored hashed.
 */
@ApplicationScoped
@OperatorApi
@Path("api/v1/admin/accounts")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "operator")
public class AdminAccountResource {

    private static final Set<String> ROLES = Set.of("operator", "tenant-admin", "analyst");
    private static final String EMAIL = "[^@\\s]{1,64}@[A-Za-z0-9.-]{1,253}";

    @Inject
    AdminAccounts accounts;

    @Inject
    TenantDirectory tenants;

    @PUT
    @Path("{email}")
    @Operation(summary = "Create or replace an admin UI account", description = "{\"password\": \"at least 12"
            + " characters\", \"role\": \"operator|tenant-admin|analyst\", \"tenantId\": \"<uuid>\"}")
    public JsonObject put(@PathParam("email") String email, @NotNull JsonObject body) {
        List<FieldError> errors = new ArrayList<>();
        if (!email.matches(EMAIL) || email.length() > 320) {
            errors.add(new FieldError("email", "must be an email address"));
        }
        String password = body.get("password") instanceof JsonString text ? text.getString() : null;
        if (password == null || password.length() < Passwords.MIN_LENGTH || password.length() > 1000) {
            errors.add(new FieldError("password", "must be " + Passwords.MIN_LENGTH + " to 1000 characters"));
        }
        String role = body.get("role") instanceof JsonString text ? text.getString() : null;
        if (role == null || !ROLES.contains(role)) {
            errors.add(new FieldError("role", "must be one of operator, tenant-admin, analyst"));
        }
        UUID tenant = tenant(body.get("tenantId"), errors);
        if ("operator".equals(role) && tenant != null) {
            errors.add(new FieldError("tenantId", "an operator runs the platform: no tenant"));
        } else if ("tenant-admin".equals(role) && tenant == null && errors.stream()
                .noneMatch(error -> error.field().equals("tenantId"))) {
            errors.add(new FieldError("tenantId", "a tenant admin needs the tenant"));
        }
        if (!errors.isEmpty()) {
            throw new ProblemException(ProblemType.VALIDATION_FAILED, "The account is not valid", errors);
        }
        UUID id = accounts.put(email.toLowerCase(Locale.ROOT), password, role, tenant);
        JsonObject view = Json.createObjectBuilder().add("id", id.toString())
                .add("email", email.toLowerCase(Locale.ROOT)).add("role", role)
                .add("tenantId", tenant == null ? JsonValue.NULL : Json.createValue(tenant.toString())).build();
        return view;
    }

    private UUID tenant(JsonValue value, List<FieldError> errors) {
        if (value == null || value == JsonValue.NULL) {
            return null;
        }
        try {
            UUID id = UUID.fromString(((JsonString) value).getString());
            if (!tenants.exists(new TenantId(id))) {
                errors.add(new FieldError("tenantId", "no such tenant"));
            }
            return id;
        } catch (ClassCastException | IllegalArgumentException e) {
            errors.add(new FieldError("tenantId", "must be a tenant's id"));
            return null;
        }
    }
}
