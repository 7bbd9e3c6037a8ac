package dev.steward.orchestration.internal;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
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
import java.util.UUID;
import org.hibernate.Session;

/** SQL on the connection of the caller's transaction (which the tenant's RLS scope is set on). */
@ApplicationScoped
class Jdbc {

    @PersistenceContext(unitName = "steward")
    EntityManager em;

    <T> T work(SqlWork<T> work) {
        return em.unwrap(Session.class).doReturningWork(work::run);
    }

    /** Runs a statement with its parameters in order; the count of rows it changed. */
    int update(String sql, Object... parameters) {
        return work(connection -> {
            try (PreparedStatement update = connection.prepareStatement(sql)) {
                bind(update, parameters);
                return update.executeUpdate();
            }
        });
    }

    /** Each row a query returns, mapped. */
    <T> List<T> query(String sql, RowMapper<T> mapper, Object... parameters) {
        return work(connection -> {
            try (PreparedStatement query = connection.prepareStatement(sql)) {
                bind(query, parameters);
                List<T> rows = new ArrayList<>();
                try (ResultSet row = query.executeQuery()) {
                    while (row.next()) {
                        rows.add(mapper.map(row));
                    }
                }
                return rows;
            }
        });
    }

    private static void bind(PreparedStatement statement, Object... parameters) throws SQLException {
        for (int i = 0; i < parameters.length; i++) {
            statement.setObject(i + 1, parameters[i] instanceof Instant instant
                    ? instant.atOffset(ZoneOffset.UTC) : parameters[i]);
        }
    }

    @FunctionalInterface
    interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }

    @FunctionalInterface
    interface RowMapper<T> {
        T map(ResultSet row) throws SQLException;
    }

    static JsonObject json(String text) {
        if (text == null) {
            return null;
        }
        try (JsonReader reader = Json.createReader(new StringReader(text))) {
            return reader.readObject();
        }
    }

    static JsonArray jsonArray(String text) {
        try (JsonReader reader = Json.createReader(new StringReader(text))) {
            return reader.readArray();
        }
    }

    static Instant instant(ResultSet row, String column) throws SQLException {
        OffsetDateTime time = row.getObject(column, OffsetDateTime.class);
        return time == null ? null : time.toInstant();
    }

    static UUID uuid(ResultSet row, String column) throws SQLException {
        return row.getObject(column, UUID.class);
    }
}
