-- Dispatch, the claim pipeline: a node claims more than its free workers for kinds that finish fast (a local
-- buffer its workers take from), records outcomes in batches off the claim path, hands buffered jobs back when they
-- wait too long or the node stops, and announces new jobs itself, coalesced, instead of a NOTIFY per insert.

DROP FUNCTION dispatch.claim(text, text[], integer, integer, uuid[], text[]);

-- The claim of V4, with a batch that may exceed the node's free workers: jobs of p_prefetch_kinds (kinds this node
-- has seen finish fast) may fill all of p_limit, jobs of other kinds at most p_other_limit (its free workers), so a
-- slow job is never claimed only to wait in a node's buffer. p_capped_tenants take at most their p_tenant_caps
-- jobs (the room a node knows a tenant at its concurrency limit has: as many of its jobs as were recorded since),
-- so a tenant's backlog is not claimed only to be held back by its limit. Without the new arguments it is V4's
-- claim.
CREATE FUNCTION dispatch.claim(p_owner text, p_kinds text[], p_limit integer, p_lease_seconds integer,
                               p_paused_tenants uuid[], p_paused_agents text[],
                               p_prefetch_kinds text[] DEFAULT NULL, p_other_limit integer DEFAULT NULL,
                               p_capped_tenants uuid[] DEFAULT NULL, p_tenant_caps integer[] DEFAULT NULL)
    RETURNS SETOF dispatch.jobs
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_priorities smallint[];
    v_tenants uuid[];
    v_shares integer[];
BEGIN
    PERFORM dispatch.require_system();
    WITH RECURSIVE heads AS (
        (SELECT j.priority, j.tenant_id FROM dispatch.jobs j
          WHERE j.state IN ('scheduled', 'available', 'retryable')
          ORDER BY j.priority, j.tenant_id LIMIT 1)
        UNION ALL
        SELECT n.priority, n.tenant_id FROM heads h, LATERAL (
            SELECT j.priority, j.tenant_id FROM dispatch.jobs j
             WHERE j.state IN ('scheduled', 'available', 'retryable')
               AND (j.priority, j.tenant_id) > (h.priority, h.tenant_id)
             ORDER BY j.priority, j.tenant_id LIMIT 1) n
    ), eligible AS (
        -- Only heads with a due job of these kinds share the batch.
        -- An ordered LATERAL ... LIMIT 1 rather than EXISTS: it is one probe of the claim index per head whatever
        -- the statistics say. EXISTS was planned as a hash semi-join over every due job when the statistics predated
        -- a burst of inserts, and an unordered LIMIT 1 as a sequential scan through the claimed rows' dead versions.
        SELECT h.priority, h.tenant_id, count(*) OVER (PARTITION BY h.priority) AS tier_heads
          FROM heads h, LATERAL (
            SELECT 1 FROM dispatch.jobs j
             WHERE j.priority = h.priority AND j.tenant_id = h.tenant_id
               AND j.state IN ('scheduled', 'available', 'retryable')
               AND j.run_at <= now() AND j.kind = ANY (p_kinds)
               -- With no room for other kinds, neither look at nor lock them: another node may take them.
               AND (coalesce(p_other_limit, p_limit) > 0 OR array_position(p_prefetch_kinds, j.kind) IS NOT NULL)
               AND (j.agent_id IS NULL
                    OR array_position(p_paused_agents, j.tenant_id::text || '/' || j.agent_id::text) IS NULL)
             ORDER BY j.run_at, j.id
             LIMIT 1) due
         WHERE array_position(p_paused_tenants, h.tenant_id) IS NULL
    ), weighted AS (
        -- A tier's weight is split among its heads, so a tier with many tenants does not outweigh a higher one.
        SELECT e.priority, e.tenant_id, dispatch.tier_weight(e.priority) / e.tier_heads AS head_weight
          FROM eligible e
    )
    SELECT array_agg(w.priority), array_agg(w.tenant_id),
           array_agg(least(CASE WHEN w.priority = 0 THEN p_limit
                                ELSE greatest(1, ceil(p_limit * w.head_weight / w.tiers_weight))::integer END,
                           coalesce(p_tenant_caps[array_position(p_capped_tenants, w.tenant_id)], p_limit)))
      INTO v_priorities, v_tenants, v_shares
      FROM (SELECT wt.*, sum(wt.head_weight) FILTER (WHERE wt.priority > 0) OVER () AS tiers_weight
              FROM weighted wt) w;
    IF v_priorities IS NULL THEN
        RETURN;
    END IF;
    RETURN QUERY
    WITH candidates AS (
        SELECT c.tenant_id, c.id, c.priority, c.agent_id, c.run_at, c.kind
          FROM unnest(v_priorities, v_tenants, v_shares) AS h (priority, tenant_id, share), LATERAL (
            SELECT j.tenant_id, j.id, j.priority, j.agent_id, j.run_at, j.kind FROM dispatch.jobs j
             WHERE j.priority = h.priority AND j.tenant_id = h.tenant_id
               AND j.state IN ('scheduled', 'available', 'retryable')
               AND j.run_at <= now() AND j.kind = ANY (p_kinds)
               -- With no room for other kinds, neither look at nor lock them: another node may take them.
               AND (coalesce(p_other_limit, p_limit) > 0 OR array_position(p_prefetch_kinds, j.kind) IS NOT NULL)
               AND (j.agent_id IS NULL
                    OR array_position(p_paused_agents, j.tenant_id::text || '/' || j.agent_id::text) IS NULL)
             ORDER BY j.run_at, j.id
             LIMIT h.share
             FOR UPDATE OF j SKIP LOCKED) c
    ), by_agent AS (
        SELECT c.*, row_number() OVER (PARTITION BY c.priority, c.tenant_id, c.agent_id
                                       ORDER BY c.run_at, c.id) AS agent_turn
          FROM candidates c
    ), by_tenant AS (
        SELECT b.*, row_number() OVER (PARTITION BY b.priority, b.tenant_id
                                       ORDER BY b.agent_turn, b.run_at, b.id) AS tenant_turn
          FROM by_agent b
    ), by_tier AS (
        SELECT t.*, row_number() OVER (PARTITION BY t.priority
                                       ORDER BY t.tenant_turn, s.last_served_at NULLS FIRST, random())
                    AS tier_turn
          FROM by_tenant t
          LEFT JOIN dispatch.tenant_service s ON s.tenant_id = t.tenant_id AND s.priority = t.priority
    ), ordered AS (
        SELECT b.tenant_id, b.id,
               array_position(p_prefetch_kinds, b.kind) IS NOT NULL AS prefetchable,
               row_number() OVER (ORDER BY CASE b.priority WHEN 0 THEN 0
                                               ELSE b.tier_turn / dispatch.tier_weight(b.priority) END,
                                           b.priority, b.tier_turn) AS claim_order
          FROM by_tier b
    ), chosen AS (
        -- Jobs of kinds that may be prefetched fill the whole batch; the others only p_other_limit of it.
        SELECT o.tenant_id, o.id, o.claim_order
          FROM (SELECT o.*, row_number() OVER (PARTITION BY o.prefetchable ORDER BY o.claim_order) AS class_turn
                  FROM ordered o) o
         WHERE o.prefetchable OR o.class_turn <= coalesce(p_other_limit, p_limit)
         ORDER BY o.claim_order
         LIMIT p_limit
    ), claimed AS (
        UPDATE dispatch.jobs j
           SET state = 'running', attempt = j.attempt + 1, lease_owner = p_owner,
               lease_expires_at = now() + make_interval(secs => p_lease_seconds), heartbeat_at = now(),
               started_at = coalesce(j.started_at, now()), deferred_by = NULL
          FROM chosen c
         WHERE j.tenant_id = c.tenant_id AND j.id = c.id
        RETURNING j.*
    ), served AS (
        SELECT DISTINCT c.tenant_id, c.priority FROM claimed c
    ), stamped AS (
        -- Best effort, in a fixed order and skipping locked rows: concurrent claimers never wait on (or deadlock
        -- over) this bookkeeping, and a row another claimer holds is being stamped by it just now anyway.
        UPDATE dispatch.tenant_service s SET last_served_at = now()
          FROM (SELECT l.tenant_id, l.priority FROM dispatch.tenant_service l
                  JOIN served v ON v.tenant_id = l.tenant_id AND v.priority = l.priority
                 ORDER BY l.tenant_id, l.priority
                 FOR UPDATE OF l SKIP LOCKED) free
         WHERE s.tenant_id = free.tenant_id AND s.priority = free.priority
    ), first_served AS (
        INSERT INTO dispatch.tenant_service (tenant_id, priority, last_served_at)
        SELECT v.tenant_id, v.priority, now() FROM served v ORDER BY v.tenant_id, v.priority
        ON CONFLICT (tenant_id, priority) DO NOTHING
    )
    -- In claim order, so that a worker pool starts the most urgent first.
    SELECT c.* FROM claimed c JOIN chosen o ON o.tenant_id = c.tenant_id AND o.id = c.id ORDER BY o.claim_order;
END;
$$;


-- Gives back claimed jobs that never started (a node's buffer: they waited too long, or the node is stopping):
-- waiting again at once, the attempt not spent, no deferral counted. Returns how many were still this owner's.
CREATE FUNCTION dispatch.hand_back(p_owner text, p_tenants uuid[], p_ids bigint[], p_attempts integer[])
    RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_count integer;
BEGIN
    PERFORM dispatch.require_system();
    UPDATE dispatch.jobs j
       SET state = CASE WHEN j.attempt > 1 THEN 'retryable' ELSE 'available' END,
           attempt = j.attempt - 1, lease_owner = NULL, lease_expires_at = NULL, heartbeat_at = NULL,
           started_at = CASE WHEN j.attempt = 1 THEN NULL ELSE j.started_at END
      FROM unnest(p_tenants, p_ids, p_attempts) AS b (tenant_id, id, attempt)
     WHERE j.tenant_id = b.tenant_id AND j.id = b.id AND j.attempt = b.attempt AND j.state || '' = 'running'
       AND j.lease_owner = p_owner;
    GET DIAGNOSTICS v_count = ROW_COUNT;
    RETURN v_count;
END;
$$;

-- dispatch.fail for a batch of attempts, in one statement: each retryable at its p_retry_ats while attempts remain,
-- otherwise (or with a NULL retry time, a permanent error) failed. Returns each attempt still this owner's with its
-- new state.
CREATE FUNCTION dispatch.fail_many(p_owner text, p_tenants uuid[], p_ids bigint[], p_attempts integer[],
                                   p_errors text[], p_retry_ats timestamptz[])
    RETURNS TABLE (id bigint, state text)
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM dispatch.require_system();
    RETURN QUERY
    UPDATE dispatch.jobs j
       SET state = CASE WHEN f.retry_at IS NOT NULL AND j.attempt < j.max_attempts THEN 'retryable'
                        ELSE 'failed' END,
           run_at = coalesce(f.retry_at, j.run_at), last_error = left(f.error, 4000), lease_owner = NULL,
           lease_expires_at = NULL,
           finished_at = CASE WHEN f.retry_at IS NOT NULL AND j.attempt < j.max_attempts THEN NULL ELSE now() END
      FROM unnest(p_tenants, p_ids, p_attempts, p_errors, p_retry_ats) AS f (tenant_id, id, attempt, error, retry_at)
     WHERE j.tenant_id = f.tenant_id AND j.id = f.id AND j.attempt = f.attempt AND j.state || '' = 'running'
       AND j.lease_owner = p_owner
    RETURNING j.id, j.state;
END;
$$;

-- New jobs: the application announces its own inserts after they commit, at most one NOTIFY per node every few
-- milliseconds (a NOTIFY takes PostgreSQL's global notify lock through the commit's WAL flush, so one per insert
-- serialized every submitting transaction). Inserts made by anyone else (an operator's SQL, a script) still wake
-- every dispatcher through this trigger. The payload is the batch's highest priority, then when its first job is due
-- (epoch milliseconds; empty for now): '0:' is a P0 due now.
CREATE OR REPLACE FUNCTION dispatch.notify_jobs_added() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_first timestamptz;
    v_priority smallint;
BEGIN
    IF session_user = '${app_role}' THEN
        RETURN NULL;
    END IF;
    SELECT min(run_at), min(priority) INTO v_first, v_priority FROM added;
    PERFORM pg_notify('steward_jobs', v_priority::text || ':' || CASE WHEN v_first > now()
        THEN (floor(extract(epoch FROM v_first) * 1000))::bigint::text ELSE '' END);
    RETURN NULL;
END;
$$;

-- The check on resource keys ran as a query of its own for every row every claim and completion updated (a SQL
-- function with a FROM clause is never inlined): about a third of an update's cost. The same rule as one expression,
-- which PostgreSQL inlines into the constraint. STABLE, not IMMUTABLE: array_to_string is marked STABLE (element
-- types' output functions may be), and an IMMUTABLE function calling it is not inlined; for text[] it cannot vary.
CREATE OR REPLACE FUNCTION dispatch.resource_keys_valid(p_keys text[]) RETURNS boolean
    LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT cardinality(p_keys) <= 8 AND array_position(p_keys, NULL) IS NULL
       AND strpos(array_to_string(p_keys, ''), ',') = 0
       AND (cardinality(p_keys) = 0
            OR array_to_string(p_keys, ',') ~ '^(provider|channel):[a-z0-9][a-z0-9._-]{0,62}(,(provider|channel):[a-z0-9][a-z0-9._-]{0,62})*$')
$$;

-- The functions that record outcomes of, or renew, a list of attempts find each by its primary key. Their check
-- that a job is still running is written so that it cannot match jobs_running's predicate: with statistics from
-- before a burst the planner expected one running job and scanned that partial index instead, whose entries for
-- every job that ran since the last vacuum are still there: 16 ms for 200 attempts after 100,000 jobs, against 2 ms
-- by key. The same for the new functions above. (Their owner is the platform role.)
GRANT CREATE ON SCHEMA dispatch TO ${platform_role};
SET ROLE ${platform_role};
CREATE OR REPLACE FUNCTION dispatch.complete_many(p_owner text, p_tenants uuid[], p_ids bigint[], p_attempts integer[])
    RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_count integer;
BEGIN
    PERFORM dispatch.require_system();
    UPDATE dispatch.jobs j SET state = 'completed', finished_at = now(), lease_owner = NULL,
                               lease_expires_at = NULL, last_error = NULL
      FROM unnest(p_tenants, p_ids, p_attempts) AS done (tenant_id, id, attempt)
     WHERE j.tenant_id = done.tenant_id AND j.id = done.id AND j.attempt = done.attempt
       AND j.state || '' = 'running' AND j.lease_owner = p_owner;
    GET DIAGNOSTICS v_count = ROW_COUNT;
    RETURN v_count;
END;
$$;

CREATE OR REPLACE FUNCTION dispatch.heartbeat(p_owner text, p_tenants uuid[], p_ids bigint[], p_attempts integer[],
                                              p_lease_seconds integer)
    RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_count integer;
BEGIN
    PERFORM dispatch.require_system();
    UPDATE dispatch.jobs j SET heartbeat_at = now(), lease_expires_at = now() + make_interval(secs => p_lease_seconds)
      FROM unnest(p_tenants, p_ids, p_attempts) AS live (tenant_id, id, attempt)
     WHERE j.tenant_id = live.tenant_id AND j.id = live.id AND j.attempt = live.attempt
       AND j.state || '' = 'running' AND j.lease_owner = p_owner;
    GET DIAGNOSTICS v_count = ROW_COUNT;
    RETURN v_count;
END;
$$;

CREATE OR REPLACE FUNCTION dispatch.defer(p_owner text, p_tenants uuid[], p_ids bigint[], p_attempts integer[],
                                          p_until timestamptz[], p_reasons text[])
    RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_count integer;
BEGIN
    PERFORM dispatch.require_system();
    UPDATE dispatch.jobs j
       SET state = CASE WHEN j.attempt > 1 THEN 'retryable' WHEN d.until > now() THEN 'scheduled'
                        ELSE 'available' END,
           attempt = j.attempt - 1, run_at = d.until, lease_owner = NULL, lease_expires_at = NULL,
           heartbeat_at = NULL, started_at = CASE WHEN j.attempt = 1 THEN NULL ELSE j.started_at END,
           deferrals = j.deferrals + 1, deferred_by = d.reason,
           dependency_deferrals = j.dependency_deferrals + CASE WHEN d.reason = 'dependency' THEN 1 ELSE 0 END
      FROM unnest(p_tenants, p_ids, p_attempts, p_until, p_reasons) AS d (tenant_id, id, attempt, until, reason)
     WHERE j.tenant_id = d.tenant_id AND j.id = d.id AND j.attempt = d.attempt AND j.state || '' = 'running'
       AND j.lease_owner = p_owner;
    GET DIAGNOSTICS v_count = ROW_COUNT;
    RETURN v_count;
END;
$$;
RESET ROLE;
REVOKE CREATE ON SCHEMA dispatch FROM ${platform_role};

-- Lets heartbeats (which move only the lease) stay on their page: HOT updates.
ALTER TABLE dispatch.jobs SET (fillfactor = 85);

REVOKE ALL ON FUNCTION dispatch.claim(text, text[], integer, integer, uuid[], text[], text[], integer, uuid[],
                                      integer[]) FROM PUBLIC;
REVOKE ALL ON FUNCTION dispatch.hand_back(text, uuid[], bigint[], integer[]) FROM PUBLIC;
REVOKE ALL ON FUNCTION dispatch.fail_many(text, uuid[], bigint[], integer[], text[], timestamptz[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dispatch.claim(text, text[], integer, integer, uuid[], text[], text[], integer, uuid[],
                                         integer[]) TO ${app_role};
GRANT EXECUTE ON FUNCTION dispatch.hand_back(text, uuid[], bigint[], integer[]) TO ${app_role};
GRANT EXECUTE ON FUNCTION dispatch.fail_many(text, uuid[], bigint[], integer[], text[], timestamptz[])
    TO ${app_role};

GRANT CREATE ON SCHEMA dispatch TO ${platform_role};
ALTER FUNCTION dispatch.claim(text, text[], integer, integer, uuid[], text[], text[], integer, uuid[],
                              integer[]) OWNER TO ${platform_role};
ALTER FUNCTION dispatch.hand_back(text, uuid[], bigint[], integer[]) OWNER TO ${platform_role};
ALTER FUNCTION dispatch.fail_many(text, uuid[], bigint[], integer[], text[], timestamptz[]) OWNER TO ${platform_role};
REVOKE CREATE ON SCHEMA dispatch FROM ${platform_role};
