-- Dispatch: the durable job queue. Every unit of work is a row here, claimed with FOR UPDATE SKIP LOCKED.
--
-- States, and what moves a job out of each:
--   scheduled  submitted with a future run_at. Claimable once run_at has passed (the claim promotes it itself).
--   available  ready to run. The claim moves it to running.
--   running    claimed by a worker holding the lease (lease_owner, lease_expires_at). The worker moves it to
--              completed, retryable or failed; the rescuer moves it to retryable (or failed) when the lease expires.
--   retryable  an attempt failed and another is due at run_at (backoff with jitter). Claimable once run_at passes.
--   completed  done. Pruned later; never leaves otherwise.
--   failed     dead-lettered: attempts exhausted or a permanent error; errors kept. Retry moves it back to available,
--              discard to cancelled.
--   cancelled  cancelled before it ran, or discarded from the dead letters. Final.
--
-- The claim and the workers' bookkeeping cross tenants: they go through the SECURITY DEFINER functions below (owned
-- by ${platform_role}, callable by ${app_role} for a system principal only), never by turning RLS off.

CREATE SCHEMA dispatch;
GRANT USAGE ON SCHEMA dispatch TO ${app_role}, ${platform_role};

CREATE TABLE dispatch.jobs (
    tenant_id        uuid        NOT NULL REFERENCES tenancy.tenants (id),
    id               bigint      GENERATED ALWAYS AS IDENTITY,
    kind             text        NOT NULL CHECK (kind ~ '^[a-z][a-z0-9.-]{0,62}$'),
    priority         smallint    NOT NULL DEFAULT 2 CHECK (priority BETWEEN 0 AND 3),
    agent_id         uuid,
    resource_keys    text[]      NOT NULL DEFAULT '{}',
    payload          jsonb       NOT NULL DEFAULT '{}',
    state            text        NOT NULL CHECK (state IN ('scheduled', 'available', 'running', 'retryable',
                                                           'completed', 'failed', 'cancelled')),
    attempt          integer     NOT NULL DEFAULT 0,
    max_attempts     integer     NOT NULL DEFAULT 5 CHECK (max_attempts BETWEEN 1 AND 100),
    run_at           timestamptz NOT NULL DEFAULT now(),
    lease_owner      text,
    lease_expires_at timestamptz,
    heartbeat_at     timestamptz,
    last_error       text,
    idempotency_key  text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    started_at       timestamptz,
    finished_at      timestamptz,
    PRIMARY KEY (tenant_id, id)
);
ALTER TABLE dispatch.jobs ENABLE ROW LEVEL SECURITY;
ALTER TABLE dispatch.jobs FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON dispatch.jobs
    USING (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid));
CREATE POLICY platform_path ON dispatch.jobs TO ${platform_role} USING (true) WITH CHECK (true);
-- The claim walks this index: per tier, per tenant, oldest first. Only claimable states are in it, so it stays
-- small however many finished jobs the table holds.
CREATE INDEX jobs_claimable ON dispatch.jobs (priority, tenant_id, run_at, id)
    WHERE state IN ('scheduled', 'available', 'retryable');
CREATE INDEX jobs_lease ON dispatch.jobs (lease_expires_at) WHERE state = 'running';
-- Dead tuples: finished jobs are deleted in batches once past retention (dispatch.prune_finished), so the table
-- holds the live queue plus a few days of history, and autovacuum keeps up.
CREATE INDEX jobs_finished ON dispatch.jobs (finished_at) WHERE state IN ('completed', 'cancelled');
CREATE UNIQUE INDEX jobs_idempotency ON dispatch.jobs (tenant_id, idempotency_key)
    WHERE idempotency_key IS NOT NULL;
GRANT SELECT, INSERT, UPDATE ON dispatch.jobs TO ${app_role};
GRANT SELECT, UPDATE, DELETE ON dispatch.jobs TO ${platform_role};

-- Wakes every node's dispatcher when jobs arrive: one notification per inserting statement (PostgreSQL folds
-- identical ones within a transaction), delivered at commit. Dispatchers also poll, so a lost one costs latency only.
CREATE FUNCTION dispatch.notify_jobs_added() RETURNS trigger
    LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM pg_notify('steward_jobs', '');
    RETURN NULL;
END;
$$;
CREATE TRIGGER jobs_added AFTER INSERT ON dispatch.jobs
    FOR EACH STATEMENT EXECUTE FUNCTION dispatch.notify_jobs_added();

-- When each tenant was last served in each tier: the claim serves the least recently served first.
CREATE TABLE dispatch.tenant_service (
    tenant_id      uuid        NOT NULL REFERENCES tenancy.tenants (id),
    priority       smallint    NOT NULL,
    last_served_at timestamptz NOT NULL,
    PRIMARY KEY (tenant_id, priority)
);
ALTER TABLE dispatch.tenant_service ENABLE ROW LEVEL SECURITY;
ALTER TABLE dispatch.tenant_service FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON dispatch.tenant_service
    USING (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid));
CREATE POLICY platform_path ON dispatch.tenant_service TO ${platform_role} USING (true) WITH CHECK (true);
GRANT SELECT, INSERT, UPDATE ON dispatch.tenant_service TO ${platform_role};

-- The share of each tier below P0: P1, P2 and P3 split what P0 leaves by 6:3:1.
CREATE FUNCTION dispatch.tier_weight(p_priority smallint) RETURNS float8
    LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE p_priority WHEN 0 THEN 100.0 WHEN 1 THEN 6.0 WHEN 2 THEN 3.0 ELSE 1.0 END
$$;

-- Dispatch functions serve Steward's own workers, never a tenant's request.
CREATE FUNCTION dispatch.require_system() RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF coalesce(current_setting('app.principal', true), '') NOT LIKE 'system:%' THEN
        RAISE EXCEPTION 'dispatch functions are for Steward''s workers only'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
END;
$$;

-- Claims up to p_limit due jobs of the given kinds for p_owner, in one statement on the database clock:
--   * P0 always first; P1, P2, P3 share the rest by weights 6:3:1 (weighted fair queuing within the batch), so
--     a flood of P1 slows P3 down but never stops it;
--   * inside a tier, tenants take turns (round-robin), the least recently served tenant first (ties at random);
--   * inside a tenant, its agents take turns, oldest job first for each.
-- First a loose index scan finds every (tier, tenant) head with due jobs of these kinds, so a tenant with a huge
-- backlog cannot push another tenant's jobs out of view. Each head then takes its share of the batch (all of it
-- for P0, otherwise its tier's weighted share split among the tier's heads) with FOR UPDATE SKIP LOCKED, so
-- concurrent claimers slide past each other's rows instead of all reaching for the same ones; the batch is ordered
-- from those and claimed.
CREATE FUNCTION dispatch.claim(p_owner text, p_kinds text[], p_limit integer, p_lease_seconds integer)
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
        SELECT h.priority, h.tenant_id, count(*) OVER (PARTITION BY h.priority) AS tier_heads
          FROM heads h
         WHERE EXISTS (SELECT 1 FROM dispatch.jobs j
                        WHERE j.priority = h.priority AND j.tenant_id = h.tenant_id
                          AND j.state IN ('scheduled', 'available', 'retryable')
                          AND j.run_at <= now() AND j.kind = ANY (p_kinds))
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
               started_at = coalesce(j.started_at, now())
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

-- Outcomes and heartbeats name the attempt they belong to, besides the lease owner: an attempt that outlived its
-- lease (the job was rescued and claimed again, perhaps by the same node) can no longer touch the job.

-- The lease owner reports successes, a batch in one round trip. Returns how many were still its.
CREATE FUNCTION dispatch.complete_many(p_owner text, p_tenants uuid[], p_ids bigint[], p_attempts integer[])
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
       AND j.state = 'running' AND j.lease_owner = p_owner;
    GET DIAGNOSTICS v_count = ROW_COUNT;
    RETURN v_count;
END;
$$;

-- The lease owner reports a failed attempt: retryable at p_retry_at while attempts remain, otherwise (or when
-- p_retry_at is NULL, a permanent error) failed. Returns the new state, or NULL when the job is no longer its.
CREATE FUNCTION dispatch.fail(p_owner text, p_tenant uuid, p_id bigint, p_attempt integer, p_error text,
                              p_retry_at timestamptz)
    RETURNS text
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_state text;
BEGIN
    PERFORM dispatch.require_system();
    UPDATE dispatch.jobs
       SET state = CASE WHEN p_retry_at IS NOT NULL AND attempt < max_attempts THEN 'retryable' ELSE 'failed' END,
           run_at = coalesce(p_retry_at, run_at), last_error = left(p_error, 4000), lease_owner = NULL,
           lease_expires_at = NULL,
           finished_at = CASE WHEN p_retry_at IS NOT NULL AND attempt < max_attempts THEN NULL ELSE now() END
     WHERE tenant_id = p_tenant AND id = p_id AND attempt = p_attempt AND state = 'running'
       AND lease_owner = p_owner
    RETURNING state INTO v_state;
    RETURN v_state;
END;
$$;

-- Gives back jobs whose worker stopped renewing its lease (a crashed node): retryable at once while attempts
-- remain, failed otherwise. Returns how many it rescued.
CREATE FUNCTION dispatch.rescue_expired(p_limit integer) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_count integer;
BEGIN
    PERFORM dispatch.require_system();
    WITH expired AS (
        SELECT tenant_id, id FROM dispatch.jobs
         WHERE state = 'running' AND lease_expires_at < now()
         ORDER BY lease_expires_at LIMIT p_limit
         FOR UPDATE SKIP LOCKED
    )
    UPDATE dispatch.jobs j
       SET state = CASE WHEN j.attempt < j.max_attempts THEN 'retryable' ELSE 'failed' END,
           run_at = now(), last_error = 'the worker''s lease expired', lease_owner = NULL,
           lease_expires_at = NULL, finished_at = CASE WHEN j.attempt < j.max_attempts THEN NULL ELSE now() END
      FROM expired e
     WHERE j.tenant_id = e.tenant_id AND j.id = e.id;
    GET DIAGNOSTICS v_count = ROW_COUNT;
    RETURN v_count;
END;
$$;

-- The lease owner extends the leases of the attempts it is still running.
CREATE FUNCTION dispatch.heartbeat(p_owner text, p_tenants uuid[], p_ids bigint[], p_attempts integer[],
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
       AND j.state = 'running' AND j.lease_owner = p_owner;
    GET DIAGNOSTICS v_count = ROW_COUNT;
    RETURN v_count;
END;
$$;

-- Deletes up to p_limit completed or cancelled jobs that finished more than p_keep ago. Dead letters stay until
-- retried or discarded. Returns how many it deleted.
CREATE FUNCTION dispatch.prune_finished(p_keep interval, p_limit integer) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_count integer;
BEGIN
    PERFORM dispatch.require_system();
    DELETE FROM dispatch.jobs j USING (
        SELECT tenant_id, id FROM dispatch.jobs
         WHERE state IN ('completed', 'cancelled') AND finished_at < now() - p_keep
         ORDER BY finished_at LIMIT p_limit
         FOR UPDATE SKIP LOCKED) old
     WHERE j.tenant_id = old.tenant_id AND j.id = old.id;
    GET DIAGNOSTICS v_count = ROW_COUNT;
    RETURN v_count;
END;
$$;

-- Queue depth by tier and state across tenants, for metrics: unfinished jobs only.
CREATE FUNCTION dispatch.depth() RETURNS TABLE (priority smallint, state text, jobs bigint)
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM dispatch.require_system();
    RETURN QUERY SELECT j.priority, j.state, count(*) FROM dispatch.jobs j
                  WHERE j.state IN ('scheduled', 'available', 'retryable', 'running')
                  GROUP BY j.priority, j.state;
END;
$$;

REVOKE ALL ON FUNCTION dispatch.require_system() FROM PUBLIC;
REVOKE ALL ON FUNCTION dispatch.prune_finished(interval, integer) FROM PUBLIC;
REVOKE ALL ON FUNCTION dispatch.depth() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dispatch.prune_finished(interval, integer) TO ${app_role};
GRANT EXECUTE ON FUNCTION dispatch.depth() TO ${app_role};
REVOKE ALL ON FUNCTION dispatch.claim(text, text[], integer, integer) FROM PUBLIC;
REVOKE ALL ON FUNCTION dispatch.complete_many(text, uuid[], bigint[], integer[]) FROM PUBLIC;
REVOKE ALL ON FUNCTION dispatch.fail(text, uuid, bigint, integer, text, timestamptz) FROM PUBLIC;
REVOKE ALL ON FUNCTION dispatch.rescue_expired(integer) FROM PUBLIC;
REVOKE ALL ON FUNCTION dispatch.heartbeat(text, uuid[], bigint[], integer[], integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dispatch.claim(text, text[], integer, integer) TO ${app_role};
GRANT EXECUTE ON FUNCTION dispatch.complete_many(text, uuid[], bigint[], integer[]) TO ${app_role};
GRANT EXECUTE ON FUNCTION dispatch.fail(text, uuid, bigint, integer, text, timestamptz) TO ${app_role};
GRANT EXECUTE ON FUNCTION dispatch.rescue_expired(integer) TO ${app_role};
GRANT EXECUTE ON FUNCTION dispatch.heartbeat(text, uuid[], bigint[], integer[], integer) TO ${app_role};

GRANT CREATE ON SCHEMA dispatch TO ${platform_role};
ALTER FUNCTION dispatch.require_system() OWNER TO ${platform_role};
ALTER FUNCTION dispatch.claim(text, text[], integer, integer) OWNER TO ${platform_role};
ALTER FUNCTION dispatch.complete_many(text, uuid[], bigint[], integer[]) OWNER TO ${platform_role};
ALTER FUNCTION dispatch.fail(text, uuid, bigint, integer, text, timestamptz) OWNER TO ${platform_role};
ALTER FUNCTION dispatch.rescue_expired(integer) OWNER TO ${platform_role};
ALTER FUNCTION dispatch.heartbeat(text, uuid[], bigint[], integer[], integer) OWNER TO ${platform_role};
ALTER FUNCTION dispatch.prune_finished(interval, integer) OWNER TO ${platform_role};
ALTER FUNCTION dispatch.depth() OWNER TO ${platform_role};
REVOKE CREATE ON SCHEMA dispatch FROM ${platform_role};
