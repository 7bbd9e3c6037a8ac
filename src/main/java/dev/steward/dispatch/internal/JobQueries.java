package dev.steward.dispatch.internal;

/** Every statement the queue runs, named, in one place. The cross-tenant ones are functions of V2 and V4. */
final class JobQueries {

    static final String COLUMNS = "id, tenant_id, kind, priority, payload::text AS payload, state, attempt,"
            + " max_attempts, run_at, created_at, started_at, finished_at, last_error, idempotency_key, agent_id,"
            + " resource_keys, tokens, deferrals, deferred_by, dependency_deferrals";

    /** Submit; a repeated idempotency key inserts nothing (then {@link #FIND_BY_IDEMPOTENCY_KEY} finds the first). */
    static final String INSERT = "INSERT INTO dispatch.jobs"
            + " (tenant_id, kind, priority, payload, state, max_attempts, run_at, idempotency_key, agent_id,"
            + " resource_keys, tokens)"
            + " VALUES (?, ?, ?, ?::jsonb, CASE WHEN ?::timestamptz > now() THEN 'scheduled' ELSE 'available' END,"
            + " ?, coalesce(?::timestamptz, now()), ?, ?, ?, ?)"
            + " ON CONFLICT (tenant_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING"
            + " RETURNING " + COLUMNS;

    static final String FIND = "SELECT " + COLUMNS + " FROM dispatch.jobs WHERE id = ?";

    static final String FIND_BY_IDEMPOTENCY_KEY = "SELECT " + COLUMNS
            + " FROM dispatch.jobs WHERE idempotency_key = ?";

    /**
     * Submit many in one statement: the tenant, then one array per column (bound once each, element i for job i),
     * inserted in the arrays' order; keys repeated within the arrays must have been removed first. A key used
     * before inserts nothing (then {@link #FIND_BY_IDEMPOTENCY_KEYS} finds the first). Each job's resource keys
     * come as a JSON array, since PostgreSQL's arrays of arrays must be rectangular.
     */
    static final String INSERT_MANY = "INSERT INTO dispatch.jobs"
            + " (tenant_id, kind, priority, payload, state, max_attempts, run_at, idempotency_key, agent_id,"
            + " resource_keys, tokens)"
            + " SELECT ?::uuid, t.kind, t.priority, t.payload::jsonb,"
            + " CASE WHEN t.run_at > now() THEN 'scheduled' ELSE 'available' END, t.max_attempts,"
            + " coalesce(t.run_at, now()), t.idempotency_key, t.agent_id,"
            + " ARRAY(SELECT r.k FROM jsonb_array_elements_text(t.resources::jsonb) WITH ORDINALITY AS r(k, n)"
            + " ORDER BY r.n), t.tokens"
            + " FROM unnest(?::text[], ?::smallint[], ?::text[], ?::timestamptz[], ?::integer[], ?::text[],"
            + " ?::uuid[], ?::text[], ?::integer[]) WITH ORDINALITY"
            + " AS t(kind, priority, payload, run_at, max_attempts, idempotency_key, agent_id, resources, tokens, n)"
            + " ORDER BY t.n"
            + " ON CONFLICT (tenant_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING"
            + " RETURNING " + COLUMNS;

    static final String FIND_BY_IDEMPOTENCY_KEYS = "SELECT " + COLUMNS
            + " FROM dispatch.jobs WHERE idempotency_key = ANY (?::text[])";

    /** Newest first, keyset-paginated by id; each filter applies when not null. */
    static final String LIST = "SELECT " + COLUMNS + " FROM dispatch.jobs"
            + " WHERE (?::text IS NULL OR state = ?::text) AND (?::text IS NULL OR kind = ?::text)"
            + " AND (?::smallint IS NULL OR priority = ?::smallint) AND (?::bigint IS NULL OR id < ?::bigint)"
            + " ORDER BY id DESC LIMIT ?";

    static final String CANCEL = "UPDATE dispatch.jobs SET state = 'cancelled', finished_at = now()"
            + " WHERE id = ? AND state IN ('scheduled', 'available', 'retryable') RETURNING " + COLUMNS;

    /** A dead letter back into the queue, with a fresh set of attempts. */
    static final String RETRY_DEAD = "UPDATE dispatch.jobs SET state = 'available', run_at = now(), attempt = 0,"
            + " finished_at = NULL WHERE id = ? AND state = 'failed' RETURNING " + COLUMNS;

    static final String DISCARD_DEAD = "UPDATE dispatch.jobs SET state = 'cancelled'"
            + " WHERE id = ? AND state = 'failed' RETURNING " + COLUMNS;

    /**
     * Jobs held back by a limit that has just changed are put back in line now (the tenant's own rows, under its
     * row-level security).
     */
    static final String RELEASE_DEFERRED = "UPDATE dispatch.jobs SET run_at = now(),"
            + " state = CASE WHEN attempt > 0 THEN 'retryable' ELSE 'available' END"
            + " WHERE deferred_by IS NOT NULL AND state IN ('scheduled', 'available', 'retryable') AND run_at > now()";

    /** A transaction-scoped advisory lock; the key is arbitrary but fixed ('steward-housekeeping' hashed). */
    static final String LOCK_HOUSEKEEPING_SCHEDULE = "SELECT pg_advisory_xact_lock(hashtext('steward-housekeeping'))";

    static final String FAIL = "SELECT dispatch.fail(?, ?, ?, ?, ?, ?)";
    static final String RESCUE_EXPIRED = "SELECT dispatch.rescue_expired(?)";
    static final String HEARTBEAT = "SELECT dispatch.heartbeat(?, ?, ?, ?, ?)";
    static final String PRUNE_FINISHED = "SELECT dispatch.prune_finished(make_interval(hours => ?), ?)";
    static final String DEPTH = "SELECT priority, state, jobs FROM dispatch.depth()";

    private JobQueries() {
    }
}
