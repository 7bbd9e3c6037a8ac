package dev.steward.orchestration.internal;

import dev.steward.audit.api.AuditEntry;
import dev.steward.audit.api.AuditTrail;
import dev.steward.shared.CurrentRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.transaction.Transactional;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Workflows and routing rules: named definitions of the tenant in scope, each change a new immutable version (runs
 * name the version they execute). A name is unique among the live definitions of its kind.
 */
@ApplicationScoped
class DefinitionStore {

    private static final String SELECT = "SELECT d.id, d.kind, d.name, v.version, v.body::text AS body, d.created_at,"
            + " v.created_at AS updated_at, d.deleted_at FROM orchestration.definitions d"
            + " JOIN orchestration.definition_versions v ON v.tenant_id = d.tenant_id AND v.definition_id = d.id";
    private static final String CURRENT = SELECT + " AND v.version = d.current_version"
            + " WHERE d.deleted_at IS NULL AND d.kind = ?";
    private static final String FIND = CURRENT + " AND d.id = ?";
    private static final String FIND_BY_NAME = CURRENT + " AND d.name = ?";
    private static final String LIST = CURRENT + " ORDER BY d.name";
    private static final String ANY = "SELECT 1 FROM orchestration.definitions WHERE kind = ?"
            + " AND deleted_at IS NULL LIMIT 1";
    private static final String VERSION = SELECT + " WHERE d.id = ? AND v.version = ?";
    private static final String VERSIONS = SELECT + " WHERE d.kind = ? AND d.id = ? AND d.deleted_at IS NULL"
            + " ORDER BY v.version";
    private static final String INSERT = "INSERT INTO orchestration.definitions (tenant_id, id, kind, name,"
            + " current_version) VALUES (?, ?, ?, ?, 1) ON CONFLICT (tenant_id, kind, name) WHERE deleted_at IS NULL"
            + " DO NOTHING";
    private static final String INSERT_VERSION = "INSERT INTO orchestration.definition_versions (tenant_id,"
            + " definition_id, version, body, created_by) VALUES (?, ?, ?, ?::jsonb, ?)";
    private static final String LOCK = "SELECT current_version FROM orchestration.definitions"
            + " WHERE kind = ? AND id = ? AND deleted_at IS NULL FOR UPDATE";
    private static final String SET_CURRENT = "UPDATE orchestration.definitions SET current_version = ?,"
            + " updated_at = now() WHERE id = ?";
    private static final String DELETE = "UPDATE orchestration.definitions SET deleted_at = now()"
            + " WHERE kind = ? AND id = ? AND deleted_at IS NULL";

    /** A definition at one version. */
    record Definition(UUID id, String kind, String name, int version, JsonObject body, Instant createdAt,
                      Instant updatedAt) {
    }

    @Inject
    Jdbc jdbc;

    @Inject
    AuditTrail audit;

    @Inject
    Schedules schedules;

    /** The new definition at version 1; empty when a live one of that kind has the name. */
    @Transactional
    Optional<Definition> create(String kind, String name, JsonObject body) {
        UUID id = UUID.randomUUID();
        boolean inserted = jdbc.work(connection -> {
            try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
                insert.setObject(1, tenant());
                insert.setObject(2, id);
                insert.setString(3, kind);
                insert.setString(4, name);
                return insert.executeUpdate() == 1;
            }
        });
        if (!inserted) {
            return Optional.empty();
        }
        jdbc.work(connection -> insertVersion(connection, id, 1, body));
        followSchedule(kind, id, body);
        audit.record(changed(kind + ".created", id, name, 1));
        return find(kind, id);
    }

    /** A new version with {@code body}; the same version when the body is unchanged; empty for an unknown id. */
    @Transactional
    Optional<Definition> update(String kind, UUID id, JsonObject body) {
        Optional<Integer> current = jdbc.work(connection -> {
            try (PreparedStatement lock = connection.prepareStatement(LOCK)) {
                lock.setString(1, kind);
                lock.setObject(2, id);
                try (ResultSet row = lock.executeQuery()) {
                    return row.next() ? Optional.of(row.getInt(1)) : Optional.<Integer>empty();
                }
            }
        });
        if (current.isEmpty()) {
            return Optional.empty();
        }
        Definition before = find(kind, id).orElseThrow();
        if (before.body().equals(body)) {
            return Optional.of(before);
        }
        int version = current.get() + 1;
        jdbc.work(connection -> {
            insertVersion(connection, id, version, body);
            try (PreparedStatement set = connection.prepareStatement(SET_CURRENT)) {
                set.setInt(1, version);
                set.setObject(2, id);
                return set.executeUpdate();
            }
        });
        followSchedule(kind, id, body);
        audit.record(changed(kind + ".updated", id, before.name(), version));
        return find(kind, id);
    }

    @Transactional
    boolean delete(String kind, UUID id) {
        Optional<Definition> live = find(kind, id);
        if (live.isEmpty() || jdbc.update(DELETE, kind, id) != 1) {
            return false;
        }
        followSchedule(kind, id, null);
        audit.record(changed(kind + ".deleted", id, live.get().name(), live.get().version()));
        return true;
    }

    /** A routing rule's schedule changes with it, in the same transaction. */
    private void followSchedule(String kind, UUID id, JsonObject body) {
        if (kind.equals(Routing.RULE)) {
            schedules.follow(id, body);
        }
    }

    private static AuditEntry changed(String action, UUID id, String name, int version) {
        return AuditEntry.of(action, Json.createObjectBuilder().add("id", id.toString()).add("name", name)
                .add("version", version).build());
    }

    @Transactional
    Optional<Definition> find(String kind, UUID id) {
        return query(FIND, kind, id).stream().findFirst();
    }

    @Transactional
    Optional<Definition> findByName(String kind, String name) {
        return query(FIND_BY_NAME, kind, name).stream().findFirst();
    }

    /** Whether the tenant has any live definition of the kind. */
    @Transactional
    boolean any(String kind) {
        return !jdbc.query(ANY, row -> true, kind).isEmpty();
    }

    @Transactional
    List<Definition> list(String kind) {
        return query(LIST, kind);
    }

    @Transactional
    List<Definition> versions(String kind, UUID id) {
        return query(VERSIONS, kind, id);
    }

    /** A version a run names, served after its definition is deleted too. */
    @Transactional
    Optional<Definition> version(UUID id, int version) {
        return query(VERSION, id, version).stream().findFirst();
    }

    private List<Definition> query(String sql, Object... parameters) {
        return jdbc.query(sql, row -> new Definition(Jdbc.uuid(row, "id"), row.getString("kind"),
                row.getString("name"), row.getInt("version"), Jdbc.json(row.getString("body")),
                Jdbc.instant(row, "created_at"), Jdbc.instant(row, "updated_at")), parameters);
    }

    private static int insertVersion(Connection connection, UUID id, int version, JsonObject body)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(INSERT_VERSION)) {
            insert.setObject(1, tenant());
            insert.setObject(2, id);
            insert.setInt(3, version);
            insert.setString(4, body.toString());
            insert.setString(5, CurrentRequest.get().principal().tag());
            return insert.executeUpdate();
        }
    }

    private static UUID tenant() {
        return CurrentRequest.get().requireTenant().value();
    }
}
