-- Dispatch, for the constraint engine: what a job draws on, deferral, and a claim that passes over saturated
-- tenants and agents.
--
-- A claimed job is admitted by the quota module in the claim's own transaction. A job it holds back is deferred:
-- back to waiting until capacity returns, its attempt given back, its deferral counted and the constraint named in
-- deferred_by (cleared when it is next claimed). Jobs behind it that may run are claimed as usual.

ALTER TABLE dispatch.jobs
    ADD COLUMN tokens integer NOT NULL DEFAULT 0 CHECK (tokens >= 0),
    ADD COLUMN deferrals integer NOT NULL DEFAULT 0,
    -- Of those, the ones its handler asked for (a dependency down): they are bounded, admission's are not.
    ADD COLUMN dependency_deferrals integer NOT NULL DEFAULT 0,
    ADD COLUMN deferred_by text;
-- Concurrency limits count running jobs by tenant and agent, under the quota row lock. The running set is small
-- (at most every node's workers), so the rescuer scans all of it through this index too, and V2's index on
-- lease_expires_at goes: one index entry less per claim, and heartbeats (which move only the lease) can be HOT.
CREATE INDEX jobs_running ON dispatch.jobs (tenant_id, agent_id) WHERE state = 'running';
DROP INDEX dispatch.jobs_lease;
-- A job's resource keys name what it draws on besides its tenant and agent: 'provider:<account>', 'channel:<account>'.
-- Checked here, not only by the API: admission reads them for every claim, and one bad row must not stop the queue.
CREATE FUNCTION dispatch.resource_keys_valid(p_keys text[]) RETURNS boolean
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT cardinality(p_keys) <= 8
       AND coalesce(bool_and(k ~ '^(provider|channel):[a-z0-9][a-z0-9._-]{0,62}$'), true)
       AND array_position(p_keys, NULL) IS NULL
      FROM unnest(p_keys) AS k
$$;
ALTER TABLE dispatch.jobs ADD CONSTRAINT jobs_resource_keys_valid CHECK (dispatch.resource_keys_valid(resource_keys));

DROP FUNCTION dispatch.claim(text, text[], integer, integer);

-- The claim of V2, now passing over paused tenants and agents (those this node found at their concurrency limit
-- moments ago, so that their backlog is not claimed only to be deferred again; agents as '<tenant>/<agent>', since
-- an agent belongs to its tenant), with a plan that stays cheap when a burst lands on a table whose statistics are
-- stale. array_position, unlike <> ALL, is not fooled by a NULL array.
CREATE FUNCTION dispatch.claim(p_owner text, p_kinds text[], p_limit integer, p_lease_seconds integer,
                               p_paused_tenants uuid[], p_paused_agents text[])
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
           array_agg(CASE WHEN w.priority = 0 THEN p_limit
                          ELSE greatest(1, ceil(p_limit * w.head_weight / w.tiers_weight))::integer END)
      INTO v_priorities, v_tenants, v_shares
      FROM (SELECT wt.*, sum(wt.head_weight) FILTER (WHERE wt.priority > 0) OVER () AS tiers_weight
              FROM weighted wt) w;
    IF v_priorities IS NULL THEN
        RETURN;
    END IF;
    RETURN QUERY
    WITH candidates AS (
        SELECT c.tenant_id, c.id, c.priority, c.agent_id, c.run_at
          FROM unnest(v_priorities, v_tenants, v_shares) AS h (priority, tenant_id, share), LATERAL (
            SELECT j.tenant_id, j.id, j.priority, j.agent_id, j.run_at FROM dispatch.jobs j
             WHERE j.priority = h.priority AND j.tenant_id = h.tenant_id
               AND j.state IN ('scheduled', 'available', 'retryable')
               AND j.run_at <= now() AND j.kind = ANY (p_kinds)
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
    ), chosen AS (
        SELECT b.tenant_id, b.id,
               row_number() OVER (ORDER BY CASE b.priority WHEN 0 THEN 0
                                               ELSE b.tier_turn / dispatch.tier_weight(b.priority) END,
                                           b.priority, b.tier_turn) AS claim_order
          FROM by_tier b
         ORDER BY claim_order
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

-- Hands back claimed jobs that admission held back: waiting again until p_until, the attempt not spent.
CREATE FUNCTION dispatch.defer(p_owner text, p_tenants uuid[], p_ids bigint[], p_attempts integer[],
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
     WHERE j.tenant_id = d.tenant_id AND j.id = d.id AND j.attempt = d.attempt AND j.state = 'running'
       AND j.lease_owner = p_owner;
    GET DIAGNOSTICS v_count = ROW_COUNT;
    RETURN v_count;
END;
$$;

-- Running jobs of these tenants by agent (NULL for none): what concurrency limits count.
CREATE FUNCTION dispatch.running(p_tenants uuid[]) RETURNS TABLE (tenant_id uuid, agent_id uuid, jobs bigint)
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM dispatch.require_system();
    RETURN QUERY SELECT j.tenant_id, j.agent_id, count(*) FROM dispatch.jobs j
                  WHERE j.state = 'running' AND j.tenant_id = ANY (p_tenants)
                  GROUP BY j.tenant_id, j.agent_id;
END;
$$;

REVOKE ALL ON FUNCTION dispatch.claim(text, text[], integer, integer, uuid[], text[]) FROM PUBLIC;
REVOKE ALL ON FUNCTION dispatch.defer(text, uuid[], bigint[], integer[], timestamptz[], text[]) FROM PUBLIC;
REVOKE ALL ON FUNCTION dispatch.running(uuid[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dispatch.claim(text, text[], integer, integer, uuid[], text[]) TO ${app_role};
GRANT EXECUTE ON FUNCTION dispatch.defer(text, uuid[], bigint[], integer[], timestamptz[], text[]) TO ${app_role};
GRANT EXECUTE ON FUNCTION dispatch.running(uuid[]) TO ${app_role};

GRANT CREATE ON SCHEMA dispatch TO ${platform_role};
ALTER FUNCTION dispatch.claim(text, text[], integer, integer, uuid[], text[]) OWNER TO ${platform_role};
ALTER FUNCTION dispatch.defer(text, uuid[], bigint[], integer[], timestamptz[], text[]) OWNER TO ${platform_role};
ALTER FUNCTION dispatch.running(uuid[]) OWNER TO ${platform_role};
REVOKE CREATE ON SCHEMA dispatch FROM ${platform_role};
