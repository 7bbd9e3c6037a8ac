package dev.steward.tools.internal;

import dev.steward.audit.api.AuditEntry;
import dev.steward.audit.api.AuditTrail;
import dev.steward.shared.CurrentRequest;
import dev.steward.shared.HostPatterns;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.transaction.Transactional;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.hibernate.Session;

/** The tenant's HTTP allow-list: which hosts its HTTP tool calls may reach, and which of them may be private. */
@ApplicationScoped
class HttpHosts {

    private static final String LIST = "SELECT host, allow_private FROM tools.http_hosts ORDER BY host";
    private static final String LOCK = "SELECT pg_advisory_xact_lock(hashtext('http-hosts:' || ?))";
    private static final String CLEAR = "DELETE FROM tools.http_hosts";
    private static final String ADD = "INSERT INTO tools.http_hosts (tenant_id, host, allow_private)"
            + " VALUES (?, ?, ?) ON CONFLICT (tenant_id, host) DO NOTHING";

    /** One allow-list entry: a host pattern ({@link HostPatterns}) and whether it may reach private addresses. */
    record Entry(String host, boolean allowPrivate) {
    }

    @PersistenceContext(unitName = "steward")
    EntityManager em;

    @Inject
    AuditTrail audit;

    @Transactional
    List<Entry> list() {
        return em.unwrap(Session.class).doReturningWork(connection -> {
            List<Entry> entries = new ArrayList<>();
            try (PreparedStatement list = connection.prepareStatement(LIST); ResultSet row = list.executeQuery()) {
                while (row.next()) {
                    entries.add(new Entry(row.getString("host"), row.getBoolean("allow_private")));
                }
            }
            return entries;
        });
    }

    /** Replaces the list in one transaction, audited. */
    @Transactional
    void replace(List<Entry> entries) {
        em.unwrap(Session.class).doWork(connection -> {
            // Two replacements at once would each delete what it sees and insert its own: one waits for the other.
            try (PreparedStatement lock = connection.prepareStatement(LOCK)) {
                lock.setString(1, CurrentRequest.get().requireTenant().value().toString());
                lock.executeQuery().close();
            }
            try (PreparedStatement clear = connection.prepareStatement(CLEAR)) {
                clear.executeUpdate();
            }
            try (PreparedStatement add = connection.prepareStatement(ADD)) {
                for (Entry entry : entries) {
                    add.setObject(1, CurrentRequest.get().requireTenant().value());
                    add.setString(2, entry.host());
                    add.setBoolean(3, entry.allowPrivate());
                    add.addBatch();
                }
                add.executeBatch();
            }
        });
        JsonArrayBuilder hosts = Json.createArrayBuilder();
        entries.forEach(entry -> hosts.add(entry.host() + (entry.allowPrivate() ? " (private allowed)" : "")));
        audit.record(AuditEntry.of("tools.http-hosts.updated", Json.createObjectBuilder().add("hosts", hosts)
                .build()));
    }

    /** The first entry that lets a call reach {@code host:port}. */
    @Transactional
    Optional<Entry> allowing(String host, int port) {
        return list().stream().filter(entry -> HostPatterns.matches(entry.host(), host, port)).findFirst();
    }
}
