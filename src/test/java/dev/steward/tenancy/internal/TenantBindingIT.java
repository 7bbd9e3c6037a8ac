package dev.steward.tenancy.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.steward.shared.Principal;
import dev.steward.shared.RequestContext;
import dev.steward.shared.TenantId;
import dev.steward.testing.Api;
import dev.steward.testing.StewardServer;
import jakarta.transaction.Synchronization;
import jakarta.transaction.TransactionSynchronizationRegistry;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The tenant binding of {@link TenantBoundConnectionProvider}, on Steward's real database as {@code steward_app}:
 * what one transaction sees, that nothing of it outlives the transaction, and the refusals that keep a transaction
 * to one tenant. The JTA registry is the container's; here a plain one stands in for it.
 */
@ExtendWith(StewardServer.class)
class TenantBindingIT {

    private static Api.TestTenant a;
    private static Api.TestTenant b;

    @BeforeAll
    static void twoTenants() {
        a = Api.newTenant("bind-a");
        b = Api.newTenant("bind-b");
    }

    @Test
    void aBoundTransactionSeesItsTenantOnlyAndNothingOutlivesIt() throws SQLException {
        try (Connection app = StewardServer.rig().connect("steward_app")) {
            app.setAutoCommit(false);
            TenantBoundConnectionProvider.bind(app, contextOf(a), new OneTransaction());
            assertEquals(1, count(app, "SELECT count(*) FROM tenancy.tenants"));
            assertEquals(a.id(), single(app, "SELECT id::text FROM tenancy.tenants"));
            assertEquals(0, count(app, "SELECT count(*) FROM tenancy.api_keys WHERE tenant_id = '" + b.id() + "'"));
            assertEquals("api_key:k-a", single(app, "SELECT current_setting('app.principal')"));
            app.commit();
            // The same pooled connection, next transaction: nothing bound, nothing visible.
            assertEquals(0, count(app, "SELECT count(*) FROM tenancy.tenants"));
            app.commit();
        }
    }

    @Test
    void aTransactionCannotBeReboundToAnotherTenant() throws SQLException {
        try (Connection app = StewardServer.rig().connect("steward_app")) {
            app.setAutoCommit(false);
            OneTransaction transaction = new OneTransaction();
            TenantBoundConnectionProvider.bind(app, contextOf(a), transaction);
            TenantBoundConnectionProvider.bind(app, contextOf(a), transaction); // same tenant again: fine
            assertThrows(IllegalStateException.class,
                    () -> TenantBoundConnectionProvider.bind(app, contextOf(b), transaction));
            assertThrows(IllegalStateException.class,
                    () -> TenantBoundConnectionProvider.bind(app, null, transaction));
            assertEquals(a.id(), single(app, "SELECT id::text FROM tenancy.tenants"));
            app.rollback();
        }
    }

    @Test
    void workOutsideATransactionIsRefused() throws SQLException {
        try (Connection app = StewardServer.rig().connect("steward_app")) {
            assertThrows(IllegalStateException.class,
                    () -> TenantBoundConnectionProvider.bind(app, contextOf(a), new NoTransaction()));
        }
    }

    @Test
    void workWithoutATenantSeesNoTenantRows() throws SQLException {
        try (Connection app = StewardServer.rig().connect("steward_app")) {
            app.setAutoCommit(false);
            TenantBoundConnectionProvider.bind(app, RequestContext.anonymous("r"), new OneTransaction());
            assertEquals(0, count(app, "SELECT count(*) FROM tenancy.tenants"));
            assertEquals(0, count(app, "SELECT count(*) FROM tenancy.api_keys"));
            app.rollback();
        }
    }

    private static RequestContext contextOf(Api.TestTenant tenant) {
        String key = tenant == a ? "k-a" : "k-b";
        return new RequestContext("r-" + key, TenantId.of(tenant.id()), Principal.apiKey(key), Set.of("*"), null, null);
    }

    private static long count(Connection connection, String query) throws SQLException {
        return Long.parseLong(single(connection, query));
    }

    private static String single(Connection connection, String query) throws SQLException {
        try (Statement sql = connection.createStatement(); ResultSet row = sql.executeQuery(query)) {
            row.next();
            return row.getString(1);
        }
    }

    /** A JTA transaction in progress, as the container's registry would describe it. */
    private static class OneTransaction implements TransactionSynchronizationRegistry {
        private final Map<Object, Object> resources = new HashMap<>();

        @Override
        public Object getTransactionKey() {
            return this;
        }

        @Override
        public void putResource(Object key, Object value) {
            resources.put(key, value);
        }

        @Override
        public Object getResource(Object key) {
            return resources.get(key);
        }

        @Override
        public void registerInterposedSynchronization(Synchronization sync) {
            throw new UnsupportedOperationException();
        }

        @Override
        public int getTransactionStatus() {
            return jakarta.transaction.Status.STATUS_ACTIVE;
        }

        @Override
        public void setRollbackOnly() {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean getRollbackOnly() {
            return false;
        }
    }

    /** No transaction on this thread. */
    private static final class NoTransaction extends OneTransaction {
        @Override
        public Object getTransactionKey() {
            return null;
        }
    }
}
