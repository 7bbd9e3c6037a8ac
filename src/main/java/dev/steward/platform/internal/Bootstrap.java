package dev.steward.platform.internal;

import dev.steward.shared.CurrentRequest;
import dev.steward.shared.Logs;
import dev.steward.shared.MasterKey;
import dev.steward.shared.Principal;
import dev.steward.shared.RequestContext;
import dev.steward.shared.StewardStarted;
import dev.steward.tenancy.api.DemoTenant;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.Startup;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.flywaydb.core.api.output.MigrateResult;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The start-up sequence: check the master key, database roles, migrations, then the demo tenant when one is
 * configured. Until it has succeeded, {@code /health/ready} and the API answer 503; if the database is not reachable
 * yet it tries again every few seconds rather than failing the deployment.
 */
@ApplicationScoped
class Bootstrap {

    private static final Logger LOG = Logs.of(Bootstrap.class);
    private static final long RETRY_SECONDS = 5;

    @Inject
    DatabaseSettings settings;

    @Inject
    StartupState state;

    @Inject
    DemoTenant demoTenant;

    /** Set by the developer launcher ({@code ./mvnw -Prun}) and the test rig; unset in production. */
    @Inject
    @ConfigProperty(name = "steward.demo.key")
    Optional<String> demoApiKey;

    @Inject
    @ConfigProperty(name = "steward.master-key")
    Optional<String> masterKey;

    @Inject
    Event<StewardStarted> started;

    @Resource
    ManagedScheduledExecutorService scheduler;

    void onStart(@Observes Startup startup) {
        attempt();
    }

    private void attempt() {
        try (CurrentRequest.Scope ignored = CurrentRequest.open(new RequestContext(
                "startup", null, Principal.system("bootstrap"), Set.of(), null, null))) {
            run();
        } catch (Exception e) {
            LOG.log(Level.WARNING, "Start-up sequence failed; retrying in " + RETRY_SECONDS + " s", e);
            // The reason goes to the log only: readiness is public and the message may name hosts and users.
            state.failed("start-up sequence failed; see the server log");
            scheduler.schedule(this::attempt, RETRY_SECONDS, TimeUnit.SECONDS);
        }
    }

    private void run() throws Exception {
        MasterKey.of(masterKey.orElse(null)); // without it no API key can be checked: better not ready than 500s
        try (Connection bootstrap = dataSource(settings.bootstrapUser(), settings.bootstrapPassword())
                .getConnection()) {
            DatabaseRoles.ensure(bootstrap, settings.ownerPassword(), settings.appPassword());
        }
        MigrateResult migrated = Migrations.apply(dataSource(DatabaseRoles.OWNER, settings.ownerPassword()));
        String version = migrated.targetSchemaVersion != null ? migrated.targetSchemaVersion
                : String.valueOf(migrated.initialSchemaVersion);
        LOG.info("Schema at version " + version + " (" + migrated.migrationsExecuted + " migrations applied now)");
        demoApiKey.filter(key -> !key.isBlank()).ifPresent(demoTenant::ensure);
        state.ready("schema version " + version);
        started.fire(new StewardStarted());
    }

    private PGSimpleDataSource dataSource(String user, String password) {
        PGSimpleDataSource dataSource = new PGSimpleDataSource();
        dataSource.setUrl(settings.url());
        dataSource.setUser(user);
        dataSource.setPassword(password);
        dataSource.setApplicationName("steward-bootstrap");
        return dataSource;
    }
}
