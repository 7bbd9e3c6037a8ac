package dev.steward.platform.internal;

import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

/**
 * Applies {@code db/migration} (packaged from the project's {@code db/migration/}) as the owner role. Files are
 * named {@code V<n>__<module>_<what>.sql}; each module owns its schema. Role names reach the SQL as placeholders.
 */
public final class Migrations {

    private Migrations() {
    }

    public static MigrateResult apply(DataSource asOwner) {
        Flyway flyway = Flyway.configure(Migrations.class.getClassLoader())
                .dataSource(asOwner)
                .locations("classpath:db/migration")
                .defaultSchema("steward")
                .createSchemas(false)
                .placeholders(Map.of("app_role", DatabaseRoles.APP, "platform_role", DatabaseRoles.PLATFORM,
                        "sql_role", DatabaseRoles.SQL, "analyst_role", DatabaseRoles.ANALYST,
                        "platform_analyst_role", DatabaseRoles.PLATFORM_ANALYST))
                .validateMigrationNaming(true)
                .load();
        return flyway.migrate();
    }
}
