package dev.steward.orchestration.internal;

import dev.steward.audit.api.AuditTrail;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.transaction.Transactional;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The context package a run's specialists get: the trigger, the record, the records its fields point to, and the
 * outputs of the nodes that succeeded so far. It is gathered once and kept on the run; a specialist reuses it while
 * its key (the versions of those records and the set of outputs) is unchanged, and it is gathered again, with a new
 * content hash, when any of them changed. So parallel specialists do not each fetch the same data.
 */
@ApplicationScoped
class ContextAssembler {

    /** Related records followed from one record's fields, at most. */
    static final int MAX_RELATED = 10;
    private static final Pattern UUID_TEXT = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final String VERSIONS = "SELECT id, version FROM orchestration.records WHERE id = ANY (?)"
            + " AND deleted_at IS NULL ORDER BY id";

    @Inject
    RecordStore records;

    @Inject
    RunStore runs;

    @Inject
    Jdbc jdbc;

    @Inject
    AuditTrail audit;

    /** The run's facts, gathered again only when its key changed since the run's stored context. */
    @Transactional(Transactional.TxType.MANDATORY)
    JsonObject current(RunStore.Run run, List<RunStore.Node> rows) {
        List<UUID> ids = new ArrayList<>();
        if (run.recordId() != null) {
            ids.add(run.recordId());
        }
        if (run.context() != null && run.context().get("related") instanceof JsonObject related) {
            related.values().forEach(value -> ids.add(UUID.fromString(value.asJsonObject().getString("id"))));
        }
        List<String> outputs = rows.stream().filter(n -> n.state().equals("succeeded") && n.output() != null)
                .map(RunStore.Node::node).sorted().toList();
        String key = versions(ids) + "|" + String.join(",", outputs);
        if (key.equals(run.contextKey()) && run.context() != null) {
            return Runs.facts(run, rows);
        }
        JsonObject context = assemble(run);
        List<UUID> gathered = new ArrayList<>();
        if (run.recordId() != null) {
            gathered.add(run.recordId());
        }
        context.getJsonObject("related").values()
                .forEach(value -> gathered.add(UUID.fromString(value.asJsonObject().getString("id"))));
        String freshKey = versions(gathered) + "|" + String.join(",", outputs);
        runs.setContext(run.id(), context, freshKey);
        RunStore.Run updated = runs.find(run.id()).orElseThrow();
        JsonObject facts = Runs.facts(updated, rows);
        JsonArrayBuilder recordIds = Json.createArrayBuilder();
        gathered.forEach(id -> recordIds.add(id.toString()));
        audit.record(Runs.entry("context.assembled", run.id(), run.recordId(), Json.createObjectBuilder()
                .add("hash", sha256(facts.toString())).add("records", recordIds)
                .add("outputs", Json.createArrayBuilder(outputs)).build()));
        return facts;
    }

    private JsonObject assemble(RunStore.Run run) {
        JsonObjectBuilder context = Json.createObjectBuilder().add("run", run.id().toString())
                .add("workflow", run.workflow()).add("trigger", run.trigger());
        JsonObjectBuilder related = Json.createObjectBuilder();
        Optional<RecordViews.Record> record = run.recordId() == null ? Optional.empty()
                : records.find(run.recordId());
        if (record.isPresent()) {
            context.add("record", view(record.get()));
            int followed = 0;
            for (var field : new TreeMap<>(record.get().fields()).entrySet()) {
                if (followed < MAX_RELATED && field.getValue() instanceof JsonString text
                        && isUuid(text.getString())) {
                    Optional<RecordViews.Record> other = records.find(UUID.fromString(text.getString()));
                    if (other.isPresent()) {
                        related.add(field.getKey(), view(other.get()));
                        followed++;
                    }
                }
            }
        } else {
            context.add("record", JsonValue.NULL);
        }
        return context.add("related", related).build();
    }

    static boolean isUuid(String text) {
        return UUID_TEXT.matcher(text).matches();
    }

    static JsonObject view(RecordViews.Record record) {
        return Json.createObjectBuilder().add("id", record.id()).add("type", record.type())
                .add("version", record.version()).add("fields", record.fields()).build();
    }

    private String versions(List<UUID> ids) {
        if (ids.isEmpty()) {
            return "";
        }
        return jdbc.work(connection -> {
            try (PreparedStatement query = connection.prepareStatement(VERSIONS)) {
                query.setArray(1, connection.createArrayOf("uuid", ids.toArray()));
                StringBuilder key = new StringBuilder();
                try (ResultSet row = query.executeQuery()) {
                    while (row.next()) {
                        key.append(row.getString("id")).append(':').append(row.getInt("version")).append(';');
                    }
                }
                return key.toString();
            }
        });
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
