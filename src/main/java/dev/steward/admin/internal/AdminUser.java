package dev.steward.admin.internal;

import java.io.Serializable;
import java.util.UUID;

/** Who is signed in to the admin UI: kept in the HTTP session. {@code tenantId} is null for operators. */
record AdminUser(UUID id, String email, String role, UUID tenantId) implements Serializable {

    boolean isOperator() {
        return role.equals("operator");
    }
}
