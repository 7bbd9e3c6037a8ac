package dev.steward.orchestration.internal;

import dev.steward.audit.api.AuditEntry;
import dev.steward.audit.api.AuditTrail;
import dev.steward.shared.CurrentRequest;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.hibernate.Session;

/**
 * The tenant in scope's records, their types and history. A change is one transaction: the record, its history
 * row, and its audit entry (type and version; never the fields, which may hold personal data).
 */
@ApplicationScoped
class RecordStore {

    private static final String COLUMNS = "id, type, fields::text AS fields, version, created_at, updated_at";
    private static final String FIND = "SELECT " + COLUMNS + " FROM orchestration.records"
            + " WHERE id = ? AND deleted_at IS NULL";
    private static final String INSERT = "INSERT INTO orchestration.records (tenant_id, id, type, fields, version)"
            + " VALUES (?, ?, ?, ?::jsonb, 1) RETURNING " + COLUMNS;
    /** Only the version the client read may be replaced. */
    private static final String UPDATE = "UPDATE orchestration.records SET fields = ?::jsonb, version = version + 1,"
            + " updated_at = now() WHERE id = ? AND version = ? AND deleted_at IS NULL RETURNING " + COLUMNS;
    private static final String PATCH = "UPDATE orchestration.records SET fields = fields || ?::jsonb,"
            + " version = version + 1, updated_at = now() WHERE id = ? AND version = ? AND deleted_at IS NULL"
            + " RETURNING " + COLUMNS;
    private static final String LOCK = "SELECT " + COLUMNS + " FROM orchestration.records WHERE id = ANY (?)"
            + " AND deleted_at IS NULL ORDER BY id FOR UPDATE";
    private static final String DELETE = "UPDATE orchestration.records SET deleted_at = now(), version = version + 1"
            + " WHERE id = ? AND deleted_at IS NULL RETURNING " + COLUMNS;
    private static final String CHANGE = "INSERT INTO orchestration.record_changes"
            + " (tenant_id, record_id, version, change, fields, changed_by) VALUES (?, ?, ?, ?, ?::jsonb, ?)";
    private static final String LIST = "SELECT " + COLUMNS + " FROM orchestration.records WHERE deleted_at IS NULL"
            + " AND (?::text IS NULL OR type = ?::text) AND fields @> ?::jsonb"
            + " AND (?::timestamptz IS NULL OR created_at < ?::timestamptz) ORDER BY created_at DESC LIMIT ?";
    private static final String HISTORY = "SELECT c.version, c.change, c.fields::text AS fields, c.changed_at,"
            + " c.changed_by FROM orchestration.record_changes c WHERE c.record_id = ? ORDER BY c.version";
    private static final String TYPE = "SELECT name, schema::text AS schema FROM orchestration.record_types"
            + " WHERE name = ?";
    private static final String TYPES = "SELECT name, schema::text AS schema FROM orchestration.record_types"
            + " ORDER BY name";
    private static final String PUT_TYPE = "INSERT INTO orchestration.record_types (tenant_id, name, schema)"
            + " VALUES (?, ?, ?::jsonb) ON CONFLICT (tenant_id, name) DO UPDATE SET schema = excluded.schema,"
            + " updated_at = now() RETURNING name, schema::text AS schema";

    @PersistenceContext(unitName = "steward")
    EntityManager em;

    @Inject
    AuditTrail audit;

    @Inject
    Triggers triggers;

    /** The outcome of a change that names the version it read. */
    sealed interface Change {
    }

    record Changed(RecordViews.Record record) implements Change {
    }

    record Stale(int current) implements Change {
    }

    record Missing() implements Change {
    }

    @Transactional
    RecordViews.Record create(String type, JsonObject fields) {
        return create(type, fields, null);
    }

    @Transactional
    Optional<RecordViews.Record> find(UUID id) {
        return work(connection -> {
            try (PreparedStatement query = connection.prepareStatement(FIND)) {
                query.setObject(1, id);
                return one(query);
            }
        });
    }

    @Transactional
    Change update(UUID id, int version, JsonObject fields) {
        Optional<RecordViews.Record> updated = work(connection -> {
            try (PreparedStatement update = connection.prepareStatement(UPDATE)) {
                update.setString(1, fields.toString());
                update.setObject(2, id);
                update.setInt(3, version);
                return one(update);
            }
        });
        if (updated.isPresent()) {
            return new Changed(recorded(updated.get(), "updated", null));
        }
        return find(id).<Change>map(current -> new Stale(current.version())).orElse(new Missing());
    }

    /**
     * Sets the given fields of a record at {@code version}, keeping its others: how the supervisor commits a
     * proposal made by a run ({@code causeRun}, so the event it fires is known as that run's).
     */
    @Transactional
    Change patch(UUID id, int version, JsonObject fields, UUID causeRun) {
        Optional<RecordViews.Record> updated = work(connection -> {
            try (PreparedStatement update = connection.prepareStatement(PATCH)) {
                update.setString(1, fields.toString());
                update.setObject(2, id);
                update.setInt(3, version);
                return one(update);
            }
        });
        if (updated.isPresent()) {
            return new Changed(recorded(updated.get(), "updated", causeRun));
        }
        return find(id).<Change>map(current -> new Stale(current.version())).orElse(new Missing());
    }

    /** A new record; {@code causeRun} names the run whose supervisor created it, if one did. */
    @Transactional
    RecordViews.Record create(String type, JsonObject fields, UUID causeRun) {
        RecordViews.Record created = work(connection -> {
            try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
                insert.setObject(1, tenant());
                insert.setObject(2, UUID.randomUUID());
                insert.setString(3, type);
                insert.setString(4, fields.toString());
                return one(insert).orElseThrow();
            }
        });
        return recorded(created, "created", causeRun);
    }

    /** The live records among {@code ids}, each row locked until the transaction ends, so versions hold. */
    @Transactional(Transactional.TxType.MANDATORY)
    List<RecordViews.Record> lock(List<UUID> ids) {
        return work(connection -> {
            try (PreparedStatement query = connection.prepareStatement(LOCK)) {
                query.setArray(1, connection.createArrayOf("uuid", ids.toArray()));
                return all(query);
            }
        });
    }

    @Transactional
    Optional<RecordViews.Record> delete(UUID id) {
        Optional<RecordViews.Record> deleted = work(connection -> {
            try (PreparedStatement delete = connection.prepareStatement(DELETE)) {
                delete.setObject(1, id);
                return one(delete);
            }
        });
        return deleted.map(record -> recorded(record, "deleted", null));
    }

    @Transactional
    List<RecordViews.Record> list(String type, JsonObject match, Instant before, int limit) {
        return work(connection -> {
            try (PreparedStatement query = connection.prepareStatement(LIST)) {
                query.setString(1, type);
                query.setString(2, type);
                query.setString(3, match.toString());
                OffsetDateTime beforeTime = before == null ? null : before.atOffset(ZoneOffset.UTC);
                query.setObject(4, beforeTime);
                query.setObject(5, beforeTime);
                query.setInt(6, limit);
                return all(query);
            }
        });
    }

    @Transactional
    List<RecordViews.Version> history(UUID id) {
        return work(connection -> {
            try (PreparedStatement query = connection.prepareStatement(HISTORY)) {
                query.setObject(1, id);
                List<RecordViews.Version> versions = new ArrayList<>();
                try (ResultSet row = query.executeQuery()) {
                    while (row.next()) {
                        versions.add(new RecordViews.Version(row.getInt("version"), row.getString("change"),
                                json(row.getString("fields")), row.getObject("changed_at", OffsetDateTime.class)
                                .toInstant(), row.getString("changed_by")));
                    }
                }
                return versions;
            }
        });
    }

    @Transactional
    Optional<RecordViews.RecordType> type(String name) {
        return work(connection -> {
            try (PreparedStatement query = connection.prepareStatement(TYPE)) {
                query.setString(1, name);
                List<RecordViews.RecordType> types = types(query);
                return types.stream().findFirst();
            }
        });
    }

    @Transactional
    List<RecordViews.RecordType> types() {
        return work(connection -> {
            try (PreparedStatement query = connection.prepareStatement(TYPES)) {
                return types(query);
            }
        });
    }

    @Transactional
    RecordViews.RecordType putType(String name, JsonObject schema) {
        RecordViews.RecordType type = work(connection -> {
            try (PreparedStatement put = connection.prepareStatement(PUT_TYPE)) {
                put.setObject(1, tenant());
                put.setString(2, name);
                put.setString(3, schema.toString());
                return types(put).get(0);
            }
        });
        audit.record(AuditEntry.of("record-type.defined", Json.createObjectBuilder().add("type", name).build()));
        return type;
    }

    /**
     * The change's history row, audit entry and trigger (routed to workflows by the tenant's rules), in the change's
     * transaction.
     */
    private RecordViews.Record recorded(RecordViews.Record record, String change, UUID causeRun) {
        work(connection -> {
            try (PreparedStatement history = connection.prepareStatement(CHANGE)) {
                history.setObject(1, tenant());
                history.setObject(2, UUID.fromString(record.id()));
                history.setInt(3, record.version());
                history.setString(4, change);
                history.setString(5, record.fields().toString());
                history.setString(6, CurrentRequest.get().principal().tag());
                return history.executeUpdate();
            }
        });
        audit.record(new AuditEntry("record." + change, null, null, null, record.id(), Json.createObjectBuilder()
                .add("type", record.type()).add("version", record.version()).build()));
        triggers.recordChanged("record." + change, record, causeRun);
        return record;
    }

    private static UUID tenant() {
        return CurrentRequest.get().requireTenant().value();
    }

    private static Optional<RecordViews.Record> one(PreparedStatement statement) throws SQLException {
        return all(statement).stream().findFirst();
    }

    private static List<RecordViews.Record> all(PreparedStatement statement) throws SQLException {
        List<RecordViews.Record> records = new ArrayList<>();
        try (ResultSet row = statement.executeQuery()) {
            while (row.next()) {
                records.add(new RecordViews.Record(row.getObject("id", UUID.class).toString(), row.getString("type"),
                        json(row.getString("fields")), row.getInt("version"),
                        row.getObject("created_at", OffsetDateTime.class).toInstant(),
                        row.getObject("updated_at", OffsetDateTime.class).toInstant()));
            }
        }
        return records;
    }

    private static List<RecordViews.RecordType> types(PreparedStatement statement) throws SQLException {
        List<RecordViews.RecordType> types = new ArrayList<>();
        try (ResultSet row = statement.executeQuery()) {
            while (row.next()) {
                types.add(new RecordViews.RecordType(row.getString("name"), json(row.getString("schema")), false));
            }
        }
        return types;
    }

    private static JsonObject json(String text) {
        try (JsonReader reader = Json.createReader(new StringReader(text))) {
            return reader.readObject();
        }
    }

    private <T> T work(SqlWork<T> work) {
        return em.unwrap(Session.class).doReturningWork(work::run);
    }

    @FunctionalInterface
    private interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }
}
