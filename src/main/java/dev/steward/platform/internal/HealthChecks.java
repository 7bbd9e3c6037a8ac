package dev.steward.platform.internal;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.eclipse.microprofile.health.Readiness;

/** {@code /health/ready}: migrations ran and the application role can reach the database. */
@ApplicationScoped
class HealthChecks {

    @Inject
    StartupState state;

    @Resource(lookup = "jdbc/steward")
    DataSource dataSource;

    @Produces
    @Readiness
    HealthCheck database() {
        return () -> {
            StartupState.Status status = state.status();
            if (!status.ready()) {
                return HealthCheckResponse.named("database").down().withData("detail", status.detail()).build();
            }
            try (Connection connection = dataSource.getConnection(); Statement sql = connection.createStatement()) {
                sql.execute("SELECT 1");
                return HealthCheckResponse.named("database").up().withData("detail", status.detail()).build();
            } catch (SQLException e) {
                return HealthCheckResponse.named("database").down().withData("detail", "unreachable").build();
            }
        };
    }

    @Produces
    @Liveness
    HealthCheck alive() {
        return () -> HealthCheckResponse.up("steward");
    }
}
