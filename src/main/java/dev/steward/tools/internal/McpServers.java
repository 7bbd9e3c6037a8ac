package dev.steward.tools.internal;

import dev.steward.audit.api.AuditEntry;
import dev.steward.audit.api.AuditTrail;
import dev.steward.shared.CredentialCipher;
import dev.steward.shared.CurrentRequest;
import dev.steward.shared.ProblemException;
import dev.steward.shared.ProblemType;
import dev.steward.shared.TenantId;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.io.StringReader;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.hibernate.Session;

/**
 * The tenant's registered MCP servers and the tools each listed (V21): registration, refresh and removal (each
 * audited, one at a time per tenant), the cached tools the catalog shows, and a server's endpoint with its headers
 * opened for one use.
 */
@ApplicationScoped
class McpServers {

    private static final String LOCK = "SELECT pg_advisory_xact_lock(hashtext('mcp-servers:' || ?))";
    private static final String SERVERS = "SELECT name, url, allow_private, timeout_seconds, read_only_tools,"
            + " header_names, skipped::text, created_at, refreshed_at FROM tools.mcp_servers";
    private static final String INSERT = "INSERT INTO tools.mcp_servers (tenant_id, name, url, allow_private,"
            + " timeout_seconds, read_only_tools, header_names, headers_sealed) VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String REFRESHED = "UPDATE tools.mcp_servers SET skipped = ?::jsonb, refreshed_at = now()"
            + " WHERE name = ?";
    private static final String CLEAR_TOOLS = "DELETE FROM tools.mcp_tools WHERE server = ?";
    private static final String ADD_TOOL = "INSERT INTO tools.mcp_tools (tenant_id, server, name, remote_name,"
            + " description, input_schema) VALUES (?, ?, ?, ?, ?, ?::jsonb)";
    private static final String DELETE = "DELETE FROM tools.mcp_servers WHERE name = ?";
    private static final String TOOLS = "SELECT t.server, t.name, t.remote_name, t.description,"
            + " t.input_schema::text, t.remote_name = ANY (s.read_only_tools) AS read_only, s.timeout_seconds"
            + " FROM tools.mcp_tools t JOIN tools.mcp_servers s ON s.tenant_id = t.tenant_id AND s.name = t.server";
    private static final String ENDPOINT = "SELECT url, allow_private, timeout_seconds, headers_sealed"
            + " FROM tools.mcp_servers WHERE name = ?";

    /** A registration as the tenant asked for it; {@code headers} hold its credentials in the clear. */
    record Registration(String name, URI url, boolean allowPrivate, int timeoutSeconds, List<String> readOnlyTools,
                        Map<String, String> headers) {
    }

    /** A registered server as shown: the names of its headers, never their values. */
    record Server(String name, String url, boolean allowPrivate, int timeoutSeconds, List<String> readOnlyTools,
                  List<String> headerNames, String skippedJson, Instant createdAt, Instant refreshedAt) {
    }

    /** One of a server's tools as it listed it, under its catalog name. */
    record CachedTool(String server, String name, String remoteName, String description, String inputSchema,
                      boolean readOnly, Duration timeout) {
    }

    @PersistenceContext(unitName = "steward")
    EntityManager em;

    @Inject
    AuditTrail audit;

    @Inject
    @ConfigProperty(name = "steward.master-key")
    Optional<String> masterKey;


    @Transactional
    List<Server> list() {
        return work(connection -> servers(connection, null));
    }

    @Transactional
    Optional<Server> find(String name) {
        return work(connection -> servers(connection, name).stream().findFirst());
    }

    /** Registers a server with the tools it listed; a name already taken is a conflict. */
    @Transactional
    void register(Registration registration, McpToolListing listing) {
        TenantId tenant = CurrentRequest.get().requireTenant();
        work(connection -> {
            lock(connection, tenant);
            if (!servers(connection, registration.name()).isEmpty()) {
                throw new ProblemException(ProblemType.CONFLICT, "An MCP server named " + registration.name()
                        + " is already registered");
            }
            try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
                insert.setObject(1, tenant.value());
                insert.setString(2, registration.name());
                insert.setString(3, registration.url().toString());
                insert.setBoolean(4, registration.allowPrivate());
                insert.setInt(5, registration.timeoutSeconds());
                insert.setArray(6, texts(connection, registration.readOnlyTools()));
                insert.setArray(7, texts(connection, List.copyOf(registration.headers().keySet())));
                insert.setBytes(8, registration.headers().isEmpty() ? null : cipher().encrypt(headersJson(
                        registration.headers()), bound(tenant, registration.name())));
                insert.executeUpdate();
            }
            store(connection, tenant, registration.name(), listing);
            return null;
        });
        JsonArrayBuilder headerNames = Json.createArrayBuilder();
        registration.headers().keySet().forEach(headerNames::add);
        audit.record(AuditEntry.of("tools.mcp-server.registered", Json.createObjectBuilder()
                .add("server", registration.name()).add("url", registration.url().toString())
                .add("timeoutSeconds", registration.timeoutSeconds()).add("headers", headerNames)
                .add("tools", listing.tools().size()).build()));
    }

    /** Replaces a server's cached tools with what it listed now; false when it is not registered (any more). */
    @Transactional
    boolean refresh(String name, McpToolListing listing) {
        TenantId tenant = CurrentRequest.get().requireTenant();
        boolean found = work(connection -> {
            lock(connection, tenant);
            if (servers(connection, name).isEmpty()) {
                return false;
            }
            try (PreparedStatement clear = connection.prepareStatement(CLEAR_TOOLS)) {
                clear.setString(1, name);
                clear.executeUpdate();
            }
            store(connection, tenant, name, listing);
            return true;
        });
        if (found) {
            audit.record(AuditEntry.of("tools.mcp-server.refreshed", Json.createObjectBuilder().add("server", name)
                    .add("tools", listing.tools().size()).build()));
        }
        return found;
    }

    @Transactional
    boolean remove(String name) {
        TenantId tenant = CurrentRequest.get().requireTenant();
        boolean removed = work(connection -> {
            lock(connection, tenant);
            try (PreparedStatement delete = connection.prepareStatement(DELETE)) {
                delete.setString(1, name);
                return delete.executeUpdate() > 0;
            }
        });
        if (removed) {
            audit.record(AuditEntry.of("tools.mcp-server.removed", Json.createObjectBuilder().add("server", name)
                    .build()));
        }
        return removed;
    }

    /** The tenant's remote tools: all of them, or those with the given catalog names. */
    @Transactional
    List<CachedTool> tools(Collection<String> names) {
        return work(connection -> {
            String sql = TOOLS + (names == null ? "" : " WHERE t.name = ANY (?)") + " ORDER BY t.name";
            try (PreparedStatement select = connection.prepareStatement(sql)) {
                if (names != null) {
                    select.setArray(1, texts(connection, List.copyOf(names)));
                }
                List<CachedTool> tools = new ArrayList<>();
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        tools.add(new CachedTool(row.getString(1), row.getString(2), row.getString(3),
                                row.getString(4), row.getString(5), row.getBoolean(6),
                                Duration.ofSeconds(row.getInt(7))));
                    }
                }
                return tools;
            }
        });
    }

    /** Where the server is and its headers, opened: for one call, never to be shown or logged. */
    @Transactional
    Optional<McpRemote.Endpoint> endpoint(String name) {
        TenantId tenant = CurrentRequest.get().requireTenant();
        return work(connection -> {
            try (PreparedStatement select = connection.prepareStatement(ENDPOINT)) {
                select.setString(1, name);
                try (ResultSet row = select.executeQuery()) {
                    if (!row.next()) {
                        return Optional.empty();
                    }
                    byte[] sealed = row.getBytes("headers_sealed");
                    return Optional.of(new McpRemote.Endpoint(name, URI.create(row.getString("url")),
                            row.getBoolean("allow_private"), sealed == null ? Map.of() : headers(sealed, tenant, name),
                            Duration.ofSeconds(row.getInt("timeout_seconds"))));
                }
            }
        });
    }

    private void store(Connection connection, TenantId tenant, String server, McpToolListing listing)
            throws SQLException {
        try (PreparedStatement add = connection.prepareStatement(ADD_TOOL)) {
            for (McpToolListing.Listed tool : listing.tools()) {
                add.setObject(1, tenant.value());
                add.setString(2, server);
                add.setString(3, tool.name());
                add.setString(4, tool.remoteName());
                add.setString(5, tool.description());
                add.setString(6, tool.inputSchema());
                add.addBatch();
            }
            add.executeBatch();
        }
        try (PreparedStatement refreshed = connection.prepareStatement(REFRESHED)) {
            refreshed.setString(1, listing.skippedJson());
            refreshed.setString(2, server);
            refreshed.executeUpdate();
        }
    }

    private static List<Server> servers(Connection connection, String name) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(SERVERS + (name == null ? "" : " WHERE name = ?")
                + " ORDER BY name")) {
            if (name != null) {
                select.setString(1, name);
            }
            List<Server> servers = new ArrayList<>();
            try (ResultSet row = select.executeQuery()) {
                while (row.next()) {
                    servers.add(new Server(row.getString(1), row.getString(2), row.getBoolean(3), row.getInt(4),
                            strings(row.getArray(5)), strings(row.getArray(6)), row.getString(7),
                            row.getTimestamp(8).toInstant(), row.getTimestamp(9).toInstant()));
                }
            }
            return servers;
        }
    }

    /** Registrations, refreshes and removals of one tenant take turns, so a name is checked and taken at once. */
    private static void lock(Connection connection, TenantId tenant) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement(LOCK)) {
            lock.setString(1, tenant.value().toString());
            lock.executeQuery().close();
        }
    }

    private Map<String, String> headers(byte[] sealed, TenantId tenant, String server) {
        try (var reader = Json.createReader(new StringReader(cipher().decrypt(sealed, bound(tenant, server))))) {
            Map<String, String> headers = new LinkedHashMap<>();
            reader.readObject().forEach((key, value) -> headers.put(key, ((JsonString) value).getString()));
            return headers;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("The MCP server " + server + "'s headers do not open (was the master key"
                    + " changed?)", e);
        }
    }

    private static String headersJson(Map<String, String> headers) {
        JsonObjectBuilder object = Json.createObjectBuilder();
        headers.forEach(object::add);
        return object.build().toString();
    }

    private static String bound(TenantId tenant, String server) {
        return "mcp-server/" + tenant.value() + "/" + server;
    }

    private CredentialCipher cipher() {
        return CredentialCipher.of(masterKey, "mcp-server-headers/v1");
    }

    private static Array texts(Connection connection, List<String> values) throws SQLException {
        return connection.createArrayOf("text", values.toArray(String[]::new));
    }

    private static List<String> strings(Array array) throws SQLException {
        return array == null ? List.of() : Arrays.asList((String[]) array.getArray());
    }

    private interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private <T> T work(Work<T> work) {
        return em.unwrap(Session.class).doReturningWork(work::run);
    }

    static JsonArray parseArray(String json) {
        try (var reader = Json.createReader(new StringReader(json))) {
            return reader.readArray();
        }
    }
}
