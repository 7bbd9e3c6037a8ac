package dev.steward.admin.internal;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.OffsetDateTime;
import java.util.Optional;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.Session;

/**
 * Admin accounts, through the platform path ({@code admin.*} functions, V24): a sign-in is checked here, and its
 * outcome counted, so that {@code steward.admin.max-failures} (5) failures in a row lock the account for
 * {@code steward.admin.lock-minutes} (15). Callers act as Steward itself or as the operator.
 */
@ApplicationScoped
class AdminAccounts {

    /** A sign-in's outcome: the user, or why not (wrong email or password, or a locked account). */
    sealed interface SignIn {
        record SignedIn(AdminUser user) implements SignIn {
        }

        record Refused(boolean locked) implements SignIn {
        }
    }

    @PersistenceContext(unitName = "steward")
    EntityManager em;

    @Inject
    @ConfigProperty(name = "steward.admin.max-failures", defaultValue = "5")
    int maxFailures;

    @Inject
    @ConfigProperty(name = "steward.admin.lock-minutes", defaultValue = "15")
    int lockMinutes;

    @Transactional
    SignIn signIn(String email, String password) {
        return em.unwrap(Session.class).doReturningWork(connection -> {
            record Found(UUID id, UUID tenant, String role, String hash, OffsetDateTime lockedUntil) {
            }
            Found found = null;
            try (PreparedStatement query = connection.prepareStatement("SELECT id, tenant_id, role, password_hash,"
                    + " locked_until FROM admin.account_for_sign_in(?)")) {
                query.setString(1, email);
                try (ResultSet row = query.executeQuery()) {
                    if (row.next()) {
                        found = new Found(row.getObject("id", UUID.class), row.getObject("tenant_id", UUID.class),
                                row.getString("role"), row.getString("password_hash"),
                                row.getObject("locked_until", OffsetDateTime.class));
                    }
                }
            }
            // The hash is checked whatever happens, so the time taken tells nothing of the account.
            boolean matches = Passwords.matches(password, found == null ? null : found.hash());
            if (found == null) {
                return new SignIn.Refused(false);
            }
            if (found.lockedUntil() != null && found.lockedUntil().isAfter(OffsetDateTime.now())) {
                return new SignIn.Refused(true);
            }
            try (PreparedStatement record = connection.prepareStatement(
                    "SELECT admin.record_sign_in(?, ?, ?, make_interval(mins => ?))")) {
                record.setObject(1, found.id());
                record.setBoolean(2, matches);
                record.setInt(3, maxFailures);
                record.setInt(4, lockMinutes);
                record.executeQuery().close();
            }
            return matches ? new SignIn.SignedIn(new AdminUser(found.id(), email.toLowerCase(java.util.Locale.ROOT),
                    found.role(), found.tenant())) : new SignIn.Refused(false);
        });
    }

    /** Creates the account, or replaces its password, role and tenant; its id. */
    @Transactional
    UUID put(String email, String password, String role, UUID tenant) {
        return em.unwrap(Session.class).doReturningWork(connection -> {
            try (PreparedStatement put = connection.prepareStatement("SELECT admin.put_account(?, ?, ?, ?)")) {
                put.setString(1, email);
                put.setString(2, Passwords.hash(password));
                put.setString(3, role);
                put.setObject(4, tenant);
                try (ResultSet row = put.executeQuery()) {
                    row.next();
                    return row.getObject(1, UUID.class);
                }
            }
        });
    }

    @Transactional
    boolean exists(String email) {
        return em.unwrap(Session.class).doReturningWork(connection -> {
            try (PreparedStatement query = connection.prepareStatement("SELECT admin.account_exists(?)")) {
                query.setString(1, email);
                try (ResultSet row = query.executeQuery()) {
                    return row.next() && row.getBoolean(1);
                }
            }
        });
    }
}
