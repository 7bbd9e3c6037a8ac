package dev.steward.admin.internal;

import dev.steward.shared.CurrentRequest;
import dev.steward.shared.Logs;
import dev.steward.shared.Principal;
import dev.steward.shared.RequestContext;
import dev.steward.shared.StewardStarted;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The first operator account, so a fresh installation can be signed in to: {@code STEWARD_ADMIN_EMAIL}
 * (admin@steward.local) with {@code STEWARD_ADMIN_PASSWORD}, set at every start when given; or, when no password is
 * configured, created once with the operator token as its password (change it then). Other accounts come from the
 * operator's API.
 */
@ApplicationScoped
class AdminBootstrap {

    private static final RequestContext AS_SYSTEM = new RequestContext("admin-bootstrap", null,
            Principal.system("admin-bootstrap"), Set.of(), null, null);

    @Inject
    AdminAccounts accounts;

    @Inject
    @ConfigProperty(name = "steward.admin.email", defaultValue = "admin@steward.local")
    String email;

    @Inject
    @ConfigProperty(name = "steward.admin.password")
    Optional<String> password;

    @Inject
    @ConfigProperty(name = "steward.admin-token")
    Optional<String> operatorToken;

    void seed(@Observes StewardStarted started) {
        try (CurrentRequest.Scope ignored = CurrentRequest.open(AS_SYSTEM)) {
            if (password.isPresent()) {
                accounts.put(email, password.get(), "operator", null);
            } else if (operatorToken.isPresent() && !accounts.exists(email)) {
                accounts.put(email, operatorToken.get(), "operator", null);
                Logs.of(AdminBootstrap.class).info("Admin account " + email + " created; its password is the"
                        + " operator token until changed");
            }
        } catch (RuntimeException e) {
            Logs.of(AdminBootstrap.class).log(Level.WARNING, "Could not create the first admin account", e);
        }
    }
}
