package dev.steward.platform.internal;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Where the database is and who may bootstrap it: {@code STEWARD_DB_URL}, {@code STEWARD_DB_USER} and
 * {@code STEWARD_DB_PASSWORD} name a superuser or a CREATEROLE user. Steward never uses that user for its own work:
 * it creates an owner role (runs migrations) and an application role (everything else) from it.
 */
@ApplicationScoped
class DatabaseSettings {

    @Inject
    @ConfigProperty(name = "steward.db.url")
    Optional<String> url;

    @Inject
    @ConfigProperty(name = "steward.db.user")
    Optional<String> user;

    /** Unset on a database with trust authentication. (An empty default would read as missing in MP Config.) */
    @Inject
    @ConfigProperty(name = "steward.db.password")
    Optional<String> password;

    /** The owner role's password; defaults to the bootstrap user's. */
    @Inject
    @ConfigProperty(name = "steward.db.owner-password")
    Optional<String> ownerPassword;

    /** The application role's password; defaults to the bootstrap user's. Liberty's data source reads the same. */
    @Inject
    @ConfigProperty(name = "steward.db.app-password")
    Optional<String> appPassword;

    String url() {
        return url.filter(value -> !value.isBlank()).orElseThrow(() -> new IllegalStateException(
                "STEWARD_DB_URL is not set: start Steward with ./mvnw -Prun (embedded PostgreSQL) or set "
                        + "STEWARD_DB_URL, STEWARD_DB_USER and STEWARD_DB_PASSWORD"));
    }

    String bootstrapUser() {
        return user.filter(value -> !value.isBlank())
                .orElseThrow(() -> new IllegalStateException("STEWARD_DB_USER is not set"));
    }

    String bootstrapPassword() {
        return password.orElse("");
    }

    String ownerPassword() {
        return ownerPassword.orElse(bootstrapPassword());
    }

    String appPassword() {
        return appPassword.orElse(bootstrapPassword());
    }
}
