package dev.steward.agents.internal;

import dev.steward.audit.api.AuditEntry;
import dev.steward.audit.api.AuditTrail;
import dev.steward.shared.CurrentRequest;
import dev.steward.shared.RequestContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.hibernate.Session;

/**
 * The tenant in scope's agents and their versions, under its row-level security. Outcomes are returned, not thrown
 * (an exception leaving a transaction is an incident in Liberty; a taken name or an unknown id is not).
 */
@ApplicationScoped
class AgentStore {

    private static final String CURRENT = "SELECT a.id, a.name, a.current_version AS version, a.created_at,"
            + " a.updated_at, v.config::text AS config, v.sha256, v.created_by FROM agents.agents a"
            + " JOIN agents.agent_versions v"
            + " ON v.tenant_id = a.tenant_id AND v.agent_id = a.id AND v.version = a.current_version"
            + " WHERE a.deleted_at IS NULL";
    private static final String FIND = CURRENT + " AND a.id = ?";
    /** Locks the agent alone: a join would be re-checked against the version row it read before waiting. */
    private static final String LOCK = "SELECT id FROM agents.agents WHERE id = ? AND deleted_at IS NULL FOR UPDATE";
    private static final String FIND_BY_NAME = CURRENT + " AND a.name = ?";
    private static final String LIST = CURRENT + " AND (?::text IS NULL OR v.config->'capabilities'"
            + " @> jsonb_build_array(jsonb_build_object('name', ?::text))) ORDER BY a.name LIMIT ?";
    /** A page of the live agents by name, those whose name contains the text (any case) when one is given. */
    private static final String PAGE = CURRENT + " AND (?::text IS NULL OR strpos(a.name, lower(?::text)) > 0)"
            + " ORDER BY a.name OFFSET ? LIMIT ?";
    private static final String INSERT_AGENT = "INSERT INTO agents.agents (tenant_id, id, name, kind, current_version)"
            + " VALUES (?, ?, ?, ?, 1) ON CONFLICT (tenant_id, name) WHERE deleted_at IS NULL DO NOTHING";
    private static final String INSERT_VERSION = "INSERT INTO agents.agent_versions"
            + " (tenant_id, agent_id, version, config, sha256, created_by) VALUES (?, ?, ?, ?::jsonb, ?, ?)";
    private static final String SET_CURRENT = "UPDATE agents.agents SET current_version = ?, kind = ?,"
            + " updated_at = now() WHERE id = ?";
    private static final String DELETE = "UPDATE agents.agents SET deleted_at = now()"
            + " WHERE id = ? AND deleted_at IS NULL";
    private static final String VERSIONS = "SELECT v.version, v.sha256, v.created_at, v.created_by, v.config::text"
            + " AS config FROM agents.agent_versions v JOIN agents.agents a"
            + " ON a.tenant_id = v.tenant_id AND a.id = v.agent_id"
            + " WHERE a.id = ? AND a.deleted_at IS NULL AND (?::integer IS NULL OR v.version = ?::integer)"
            + " ORDER BY v.version";

    private static final String PINNED = "SELECT a.id, a.name, v.version, v.created_at, v.created_at AS updated_at,"
            + " v.config::text AS config, v.sha256, v.created_by FROM agents.agents a JOIN agents.agent_versions v"
            + " ON v.tenant_id = a.tenant_id AND v.agent_id = a.id WHERE a.id = ? AND v.version = ?";

    @PersistenceContext(unitName = "steward")
    EntityManager em;

    @Inject
    AuditTrail audit;

    @Inject
    RemoteTokens tokens;

    /** An agent at one of its versions. */
    record Stored(UUID id, String name, int version, AgentConfig config, Instant createdAt, Instant updatedAt,
                  String createdBy) {
    }

    /** Creates an agent at version 1; empty when one of the tenant's live agents has the name. */
    @Transactional
    Optional<Stored> create(String name, AgentConfig config) {
        return create(name, config, null);
    }

    /** Creates an agent at version 1 with the token it is called with (may be null). */
    @Transactional
    Optional<Stored> create(String name, AgentConfig config, String token) {
        Optional<Stored> created = work(connection -> {
            RequestContext context = CurrentRequest.get();
            UUID id = UUID.randomUUID();
            try (PreparedStatement insert = connection.prepareStatement(INSERT_AGENT)) {
                insert.setObject(1, context.requireTenant().value());
                insert.setObject(2, id);
                insert.setString(3, name);
                insert.setString(4, config.kind());
                if (insert.executeUpdate() == 0) {
                    return Optional.empty();
                }
            }
            insertVersion(connection, context, id, 1, config);
            return find(connection, FIND, id);
        });
        if (token != null) {
            created.ifPresent(agent -> tokens.put(agent.id(), token));
        }
        return created.map(agent -> audited("agent.created", agent));
    }

    /**
     * Makes {@code config} the agent's current configuration: a new version, unless it is the current one already;
     * replaces its token when one is given. Empty when the tenant has no such live agent. The agent's row is locked,
     * so concurrent changes queue.
     */
    @Transactional
    Optional<Stored> update(UUID id, AgentConfig config, String token) {
        return work(connection -> {
            try (PreparedStatement lock = connection.prepareStatement(LOCK)) {
                lock.setObject(1, id);
                try (ResultSet row = lock.executeQuery()) {
                    if (!row.next()) {
                        return Optional.empty();
                    }
                }
            }
            if (token != null) {
                tokens.put(id, token);
            }
            Optional<Stored> current = find(connection, FIND, id);
            if (current.isEmpty() || current.get().config().sha256().equals(config.sha256())) {
                return token == null ? current : current.map(agent -> audited("agent.token.replaced", agent));
            }
            String endpoint = config.json().getString("endpoint", null);
            if (token == null && !Objects.equals(endpoint, current.get().config().json().getString("endpoint", null))) {
                tokens.clear(id); // a token is for the endpoint it was given with, never sent on elsewhere
            }
            int version = current.get().version() + 1;
            insertVersion(connection, CurrentRequest.get(), id, version, config);
            try (PreparedStatement update = connection.prepareStatement(SET_CURRENT)) {
                update.setInt(1, version);
                update.setString(2, config.kind());
                update.setObject(3, id);
                update.executeUpdate();
            }
            return find(connection, FIND, id).map(changed -> audited("agent.updated", changed));
        });
    }

    @Transactional
    Optional<Stored> find(UUID id) {
        return work(connection -> find(connection, FIND, id));
    }

    /** A version of an agent, deleted or not: sessions pinned to it run on. */
    @Transactional
    Optional<Stored> pinned(UUID id, int version) {
        return work(connection -> {
            try (PreparedStatement query = connection.prepareStatement(PINNED)) {
                query.setObject(1, id);
                query.setInt(2, version);
                return read(query).stream().findFirst();
            }
        });
    }

    @Transactional
    Optional<Stored> findByName(String name) {
        return work(connection -> {
            try (PreparedStatement query = connection.prepareStatement(FIND_BY_NAME)) {
                query.setString(1, name);
                return read(query).stream().findFirst();
            }
        });
    }

    /** The tenant's live agents by name, those with the capability only when one is given. */
    @Transactional
    List<Stored> list(String capability, int limit) {
        return work(connection -> {
            try (PreparedStatement query = connection.prepareStatement(LIST)) {
                query.setString(1, capability);
                query.setString(2, capability);
                query.setInt(3, limit);
                return read(query);
            }
        });
    }

    /** A page of the tenant's live agents by name, those whose name contains {@code nameContains} if given. */
    @Transactional
    List<Stored> page(String nameContains, int offset, int limit) {
        return work(connection -> {
            try (PreparedStatement query = connection.prepareStatement(PAGE)) {
                query.setString(1, nameContains);
                query.setString(2, nameContains);
                query.setInt(3, offset);
                query.setInt(4, limit);
                return read(query);
            }
        });
    }

    /** Every version of a live agent (one, when {@code version} is given), oldest first; empty list if none. */
    @Transactional
    List<Stored> versions(UUID id, Integer version) {
        return work(connection -> {
            Optional<Stored> agent = find(connection, FIND, id);
            if (agent.isEmpty()) {
                return List.of();
            }
            try (PreparedStatement query = connection.prepareStatement(VERSIONS)) {
                query.setObject(1, id);
                query.setObject(2, version, Types.INTEGER);
                query.setObject(3, version, Types.INTEGER);
                List<Stored> versions = new ArrayList<>();
                try (ResultSet row = query.executeQuery()) {
                    while (row.next()) {
                        Instant created = instant(row, "created_at");
                        versions.add(new Stored(id, agent.get().name(), row.getInt("version"), config(row), created,
                                created, row.getString("created_by")));
                    }
                }
                return versions;
            }
        });
    }

    /** Deletes a live agent (its versions stay); false when the tenant has no such agent. */
    @Transactional
    boolean delete(UUID id) {
        boolean deleted = work(connection -> {
            try (PreparedStatement delete = connection.prepareStatement(DELETE)) {
                delete.setObject(1, id);
                return delete.executeUpdate() > 0;
            }
        });
        if (deleted) {
            audit.record(AuditEntry.of("agent.deleted", Json.createObjectBuilder().build()).forAgent(id));
        }
        return deleted;
    }

    /** An agent's change on the trail: its name, version and the configuration's hash (not the configuration). */
    private Stored audited(String action, Stored agent) {
        audit.record(AuditEntry.of(action, Json.createObjectBuilder().add("name", agent.name())
                .add("version", agent.version()).add("sha256", agent.config().sha256()).build()).forAgent(agent.id()));
        return agent;
    }

    private static void insertVersion(Connection connection, RequestContext context, UUID id, int version,
                                      AgentConfig config) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(INSERT_VERSION)) {
            insert.setObject(1, context.requireTenant().value());
            insert.setObject(2, id);
            insert.setInt(3, version);
            insert.setString(4, config.json().toString());
            insert.setString(5, config.sha256());
            insert.setString(6, context.principal().tag());
            insert.executeUpdate();
        }
    }

    private static Optional<Stored> find(Connection connection, String sql, UUID id) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(sql)) {
            query.setObject(1, id);
            return read(query).stream().findFirst();
        }
    }

    private static List<Stored> read(PreparedStatement query) throws SQLException {
        List<Stored> agents = new ArrayList<>();
        try (ResultSet row = query.executeQuery()) {
            while (row.next()) {
                agents.add(new Stored(row.getObject("id", UUID.class), row.getString("name"), row.getInt("version"),
                        config(row), instant(row, "created_at"), instant(row, "updated_at"),
                        row.getString("created_by")));
            }
        }
        return agents;
    }

    private static AgentConfig config(ResultSet row) throws SQLException {
        try (var reader = Json.createReader(new StringReader(row.getString("config")))) {
            // jsonb keeps keys in its own order: sorted again, the configuration reads as it was hashed.
            JsonObject json = (JsonObject) AgentConfig.canonical(reader.readObject());
            return AgentConfig.stored(json, row.getString("sha256"));
        }
    }

    private static Instant instant(ResultSet row, String column) throws SQLException {
        OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private <T> T work(SqlWork<T> work) {
        return em.unwrap(Session.class).doReturningWork(work::run);
    }

    @FunctionalInterface
    private interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }
}
