package dev.steward.dispatch.internal;

import dev.steward.shared.TenantId;
import jakarta.json.Json;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A list of submissions as one insert sees it. A key repeated within the list is inserted once (an insert with
 * {@code ON CONFLICT} cannot meet the same key twice and tell which item it kept), and every later item with that
 * key answers with what the first one got. Afterwards, the rows the insert returned and those found for the keys
 * that were used before are put back in the list's order.
 */
final class JobBatch {

    private final List<JobStore.Submission> distinct = new ArrayList<>();
    /** For each item of the list, the index of its submission in {@link #distinct}. */
    private final int[] source;
    /** For each item, whether it is the first with its key (keyless items always are). */
    private final boolean[] first;

    JobBatch(List<JobStore.Submission> items) {
        source = new int[items.size()];
        first = new boolean[items.size()];
        Map<String, Integer> byKey = new HashMap<>();
        for (int i = 0; i < items.size(); i++) {
            JobStore.Submission item = items.get(i);
            Integer earlier = item.idempotencyKey() == null ? null : byKey.get(item.idempotencyKey());
            if (earlier != null) {
                source[i] = earlier;
                continue;
            }
            source[i] = distinct.size();
            first[i] = true;
            distinct.add(item);
            if (item.idempotencyKey() != null) {
                byKey.put(item.idempotencyKey(), source[i]);
            }
        }
    }

    /** What to insert: each key once, in the order of first appearance. */
    List<JobStore.Submission> distinct() {
        return distinct;
    }

    /**
     * Binds {@link JobQueries#INSERT_MANY}: the tenant, then one array per column, element i for the i-th distinct
     * submission. Times go as ISO-8601 text with their offset, so no time zone of the JVM or the session enters.
     */
    void bindInsert(Connection connection, PreparedStatement statement, TenantId tenant) throws SQLException {
        statement.setObject(1, tenant.value());
        statement.setArray(2, array(connection, "text", JobStore.Submission::kind));
        statement.setArray(3, array(connection, "smallint", s -> (short) s.priority().level()));
        statement.setArray(4, array(connection, "text", JobStore.Submission::payloadJson));
        statement.setArray(5, array(connection, "timestamptz", s -> s.runAt() == null ? null : s.runAt().toString()));
        statement.setArray(6, array(connection, "integer", JobStore.Submission::maxAttempts));
        statement.setArray(7, array(connection, "text", JobStore.Submission::idempotencyKey));
        statement.setArray(8, array(connection, "uuid", JobStore.Submission::agent));
        statement.setArray(9, array(connection, "text",
                s -> Json.createArrayBuilder(s.resources()).build().toString()));
        statement.setArray(10, array(connection, "integer", JobStore.Submission::tokens));
    }

    private Array array(Connection connection, String type, Function<JobStore.Submission, Object> column)
            throws SQLException {
        Object[] values = new Object[distinct.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = column.apply(distinct.get(i));
        }
        return connection.createArrayOf(type, values);
    }

    /** The keys the insert did not take: used before, by another submission, so their first job is to be found. */
    List<String> conflicted(List<JobRow> inserted) {
        Map<String, JobRow> byKey = keyed(inserted);
        return distinct.stream().map(JobStore.Submission::idempotencyKey)
                .filter(key -> key != null && !byKey.containsKey(key)).toList();
    }

    /**
     * One outcome per item, in the list's order. A keyed row is matched by its key; keyless rows never conflict,
     * so every keyless submission was inserted, and the insert numbered them in order: the keyless rows by id are
     * the keyless submissions in order. An item whose key appeared earlier in the list is never "created".
     */
    List<JobStore.Submitted> resolve(List<JobRow> inserted, List<JobRow> found) {
        Map<String, JobRow> insertedByKey = keyed(inserted);
        Map<String, JobRow> foundByKey = keyed(found);
        Iterator<JobRow> keyless = inserted.stream().filter(row -> row.idempotencyKey() == null)
                .sorted(Comparator.comparingLong(JobRow::id)).iterator();
        List<JobStore.Submitted> outcomes = new ArrayList<>(distinct.size());
        for (JobStore.Submission submission : distinct) {
            String key = submission.idempotencyKey();
            if (key == null) {
                if (!keyless.hasNext()) {
                    throw new IllegalStateException("the insert returned fewer jobs than it was given");
                }
                outcomes.add(new JobStore.Submitted(keyless.next(), true));
            } else if (insertedByKey.containsKey(key)) {
                outcomes.add(new JobStore.Submitted(insertedByKey.get(key), true));
            } else if (foundByKey.containsKey(key)) {
                outcomes.add(new JobStore.Submitted(foundByKey.get(key), false));
            } else {
                throw new IllegalStateException("no job for an idempotency key the insert passed over");
            }
        }
        if (keyless.hasNext()) {
            throw new IllegalStateException("the insert returned more jobs than it was given");
        }
        List<JobStore.Submitted> items = new ArrayList<>(source.length);
        for (int i = 0; i < source.length; i++) {
            JobStore.Submitted outcome = outcomes.get(source[i]);
            items.add(first[i] ? outcome : new JobStore.Submitted(outcome.job(), false));
        }
        return items;
    }

    private static Map<String, JobRow> keyed(List<JobRow> rows) {
        Map<String, JobRow> byKey = new HashMap<>();
        for (JobRow row : rows) {
            if (row.idempotencyKey() != null) {
                byKey.put(row.idempotencyKey(), row);
            }
        }
        return byKey;
    }
}
