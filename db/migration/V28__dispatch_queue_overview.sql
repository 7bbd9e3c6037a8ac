-- The live queue as the admin UI shows it: per tenant and tier, jobs waiting (due, not yet claimed), scheduled
-- (due later), running, the oldest waiting job's due time, jobs completed in the last five minutes (throughput)
-- and dead letters. Steward itself and the operator see every tenant (this is the cross-tenant path, so it runs
-- as the platform role); anyone else sees only the tenant their transaction is bound to, the rows row-level
-- security would give them.
CREATE FUNCTION dispatch.queue_overview()
    RETURNS TABLE (tenant_id uuid, priority smallint, waiting bigint, scheduled bigint, running bigint,
                   oldest_waiting timestamptz, completed_5m bigint, dead bigint)
    LANGUAGE plpgsql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_principal text := coalesce(current_setting('app.principal', true), '');
    v_tenant    uuid := nullif(current_setting('app.tenant_id', true), '')::uuid;
    v_all       boolean := v_principal LIKE 'system:%' OR v_principal LIKE 'operator:%';
BEGIN
    IF NOT v_all AND v_tenant IS NULL THEN
        RETURN;
    END IF;
    -- Two scans the indexes serve (unfinished and dead jobs; jobs finished lately), not one over the 72 hours of
    -- completed jobs the table keeps.
    RETURN QUERY
    WITH relevant AS (
        SELECT j.tenant_id, j.priority, j.state, j.run_at, j.finished_at FROM dispatch.jobs j
         WHERE j.state IN ('scheduled', 'available', 'retryable', 'running', 'failed')
           AND (v_all OR j.tenant_id = v_tenant)
        UNION ALL
        SELECT j.tenant_id, j.priority, j.state, j.run_at, j.finished_at FROM dispatch.jobs j
         WHERE j.state = 'completed' AND j.finished_at > now() - interval '5 minutes'
           AND (v_all OR j.tenant_id = v_tenant)
    )
    SELECT r.tenant_id, r.priority,
           count(*) FILTER (WHERE r.state IN ('available', 'retryable') AND r.run_at <= now()),
           count(*) FILTER (WHERE r.state = 'scheduled'
                               OR (r.state IN ('available', 'retryable') AND r.run_at > now())),
           count(*) FILTER (WHERE r.state = 'running'),
           min(r.run_at) FILTER (WHERE r.state IN ('available', 'retryable') AND r.run_at <= now()),
           count(*) FILTER (WHERE r.state = 'completed'),
           count(*) FILTER (WHERE r.state = 'failed')
      FROM relevant r
     GROUP BY r.tenant_id, r.priority;
END;
$$;
REVOKE ALL ON FUNCTION dispatch.queue_overview() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION dispatch.queue_overview() TO ${app_role};
GRANT CREATE ON SCHEMA dispatch TO ${platform_role};
ALTER FUNCTION dispatch.queue_overview() OWNER TO ${platform_role};
REVOKE CREATE ON SCHEMA dispatch FROM ${platform_role};

-- The operator's own admin UI actions (signing in and out) have no tenant's trail to go to: they go to the
-- platform's access log, as the operator's cross-tenant API calls do.
-- The function belongs to the platform role, so only that role can grant it (the owner role may act as it).
SET ROLE ${platform_role};
GRANT EXECUTE ON FUNCTION tenancy.note_platform_access(text, text) TO ${app_role};
RESET ROLE;
