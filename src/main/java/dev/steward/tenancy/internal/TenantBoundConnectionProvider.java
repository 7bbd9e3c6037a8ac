package dev.steward.tenancy.internal;

import dev.steward.shared.CurrentRequest;
import dev.steward.shared.RequestContext;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.hibernate.engine.jdbc.connections.internal.DatasourceConnectionProviderImpl;

/**
 * The one place where a transaction is bound to its tenant. Hibernate takes one connection per transaction
 * (see persistence.xml); before handing it out, this sets the transaction-local settings that the row-level
 * security policies read: {@code app.tenant_id} (empty when the work has no tenant, so it sees no tenant rows),
 * plus the principal and request id that audit rows record. Because the settings are transaction-local, they
 * vanish at commit or rollback and never leak to the next user of the pooled connection. A transaction belongs to
 * the tenant of its first connection; taking another connection in it for a different tenant fails.
 */
public class TenantBoundConnectionProvider extends DatasourceConnectionProviderImpl {

    /** Which tenant the running JTA transaction was bound to by its first connection. */
    private static final Object BOUND_TENANT = TenantBoundConnectionProvider.class.getName() + ".tenant";

    private static final String BIND = "SELECT set_config('app.tenant_id', ?, true),"
            + " set_config('app.principal', ?, true), set_config('app.request_id', ?, true)";

    @Override
    public Connection getConnection() throws SQLException {
        Connection connection = super.getConnection();
        try {
            bind(connection, CurrentRequest.find().orElse(null), Transactions.registry());
            return connection;
        } catch (SQLException | RuntimeException e) {
            closeConnection(connection);
            throw e;
        }
    }

    static void bind(Connection connection, RequestContext context, TransactionSynchronizationRegistry transaction)
            throws SQLException {
        if (transaction.getTransactionKey() == null) {
            // Outside a transaction the settings would end with this very statement: refuse rather than run
            // the caller's statements with no tenant bound. (Liberty's handles report autoCommit=true until their
            // lazy enlistment, so the JTA transaction is what is checked.)
            throw new IllegalStateException("tenant data is read and written only inside a transaction");
        }
        String tenant = context == null || context.tenantId() == null ? "" : context.tenantId().toString();
        Object bound = transaction.getResource(BOUND_TENANT);
        if (bound == null) {
            transaction.putResource(BOUND_TENANT, tenant);
        } else if (!bound.equals(tenant)) {
            // Liberty shares one physical connection within a transaction: binding it to a second tenant would
            // mix two tenants' statements in one transaction.
            throw new IllegalStateException("this transaction is bound to another tenant");
        }
        try (PreparedStatement statement = connection.prepareStatement(BIND)) {
            statement.setString(1, tenant);
            statement.setString(2, context == null ? "" : context.principal().tag());
            statement.setString(3, context == null ? "" : context.requestId());
            statement.execute();
        }
    }
}
