-- Reporting: the analysts' views, over what the modules already keep (model usage, the queue, approvals, runs,
-- budgets, channel caps). The views run with the caller's rights (security_invoker), so row-level security binds
-- whoever reads them:
--   * a tenant analyst is a person's login role in ${analyst_role}, which reads the tenants reporting.analysts
--     names for that role, and nothing else, whatever app.tenant_id it sets (a restrictive policy bounds it);
--   * a platform analyst is a login role in ${platform_analyst_role}, which reads every tenant: its named path.
-- Both read only. The reports in reports/*.sql read these views with psql.

CREATE SCHEMA reporting;
GRANT USAGE ON SCHEMA reporting TO ${analyst_role}, ${platform_analyst_role};

-- Which tenants a tenant analyst's login role reads. Kept by the operator as steward_owner:
--   CREATE ROLE alice LOGIN PASSWORD '...' IN ROLE steward_analyst;
--   INSERT INTO reporting.analysts (tenant_id, role_name) VALUES ('<tenant id>', 'alice');
CREATE TABLE reporting.analysts (
    tenant_id  uuid        NOT NULL REFERENCES tenancy.tenants (id),
    role_name  name        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, role_name)
);
CREATE INDEX analysts_by_role ON reporting.analysts (role_name);
ALTER TABLE reporting.analysts ENABLE ROW LEVEL SECURITY;
ALTER TABLE reporting.analysts FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON reporting.analysts
    USING (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid));
CREATE POLICY analyst_path ON reporting.analysts FOR SELECT TO ${analyst_role} USING (role_name = current_user);
CREATE POLICY analyst_bound ON reporting.analysts AS RESTRICTIVE FOR SELECT TO ${analyst_role}
    USING (role_name = current_user);
CREATE POLICY platform_analyst_path ON reporting.analysts FOR SELECT TO ${platform_analyst_role} USING (true);
GRANT SELECT ON reporting.analysts TO ${analyst_role}, ${platform_analyst_role};

-- The tenants an analyst may read: a function (invoker's rights) so every policy below says it the same way.
CREATE FUNCTION reporting.my_tenants() RETURNS SETOF uuid
    LANGUAGE sql STABLE SET search_path = pg_catalog, pg_temp AS $$
    SELECT tenant_id FROM reporting.analysts WHERE role_name = current_user
$$;
REVOKE ALL ON FUNCTION reporting.my_tenants() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION reporting.my_tenants() TO ${analyst_role};

-- The analysts' paths into the tables the views read: SELECT only, and only of the columns the views use (not a
-- job's payload, an approval's proposed action, a run's context, an agent's sealed token).
DO $$
DECLARE
    columns text[][] := ARRAY[
        ['billing.usage_events', 'tenant_id, occurred_at, model, provider, agent_id, agent_version, session_id,'
                                 || ' input_tokens, output_tokens, cached_tokens, latency_ms, cost, outcome'],
        ['agents.agents', 'tenant_id, id, name'],
        ['agents.agent_versions', 'tenant_id, agent_id, version, config'],
        ['dispatch.jobs', 'tenant_id, kind, priority, state, attempt, created_at, run_at, started_at, deferrals,'
                          || ' dependency_deferrals, deferred_by'],
        ['orchestration.approvals', 'tenant_id, id, run_id, reason, state, created_at, decided_at'],
        ['orchestration.runs', 'tenant_id, id, workflow_id, state, created_at, finished_at'],
        ['orchestration.definitions', 'tenant_id, id, name'],
        ['quota.limits', 'tenant_id, subject, per_day, channel_type, monthly_budget'],
        ['quota.usage', 'tenant_id, subject, day, day_used, month, month_spent']];
    i int;
BEGIN
    FOR i IN 1 .. array_length(columns, 1) LOOP
        EXECUTE format('CREATE POLICY analyst_path ON %s FOR SELECT TO ${analyst_role}'
                       ' USING (tenant_id IN (SELECT reporting.my_tenants()))', columns[i][1]);
        EXECUTE format('CREATE POLICY analyst_bound ON %s AS RESTRICTIVE FOR SELECT TO ${analyst_role}'
                       ' USING (tenant_id IN (SELECT reporting.my_tenants()))', columns[i][1]);
        EXECUTE format('CREATE POLICY platform_analyst_path ON %s FOR SELECT TO ${platform_analyst_role}'
                       ' USING (true)', columns[i][1]);
        EXECUTE format('GRANT SELECT (%s) ON %s TO ${analyst_role}, ${platform_analyst_role}', columns[i][2],
                       columns[i][1]);
    END LOOP;
END;
$$;
CREATE POLICY analyst_path ON tenancy.tenants FOR SELECT TO ${analyst_role}
    USING (id IN (SELECT reporting.my_tenants()));
CREATE POLICY analyst_bound ON tenancy.tenants AS RESTRICTIVE FOR SELECT TO ${analyst_role}
    USING (id IN (SELECT reporting.my_tenants()));
CREATE POLICY platform_analyst_path ON tenancy.tenants FOR SELECT TO ${platform_analyst_role} USING (true);
GRANT SELECT (id, slug) ON tenancy.tenants TO ${analyst_role}, ${platform_analyst_role};
GRANT USAGE ON SCHEMA billing, agents, dispatch, orchestration, quota, tenancy
    TO ${analyst_role}, ${platform_analyst_role};

-- Every model call: what it cost, in tokens and money, for which tenant, agent (and version), model and provider,
-- and for which session or workflow run. fallback: answered (successfully) by one of the agent's fallback models.
CREATE VIEW reporting.model_calls WITH (security_invoker = true) AS
SELECT u.tenant_id, t.slug AS tenant, u.occurred_at, (u.occurred_at AT TIME ZONE 'UTC')::date AS day,
       u.agent_id, a.name AS agent, u.agent_version, u.model, u.provider,
       CASE WHEN u.session_id LIKE 'run:%' THEN NULL ELSE u.session_id END AS session_id,
       CASE WHEN u.session_id LIKE 'run:%' THEN substr(u.session_id, 5)::uuid END AS run_id,
       u.input_tokens, u.output_tokens, u.cached_tokens, u.input_tokens + u.output_tokens AS total_tokens,
       u.cost, u.latency_ms, u.outcome,
       u.outcome = 'ok' AND coalesce(v.config->'fallbackModels' @> to_jsonb(u.model), false) AS fallback
  FROM billing.usage_events u
  JOIN tenancy.tenants t ON t.id = u.tenant_id
  LEFT JOIN agents.agents a ON a.tenant_id = u.tenant_id AND a.id = u.agent_id
  LEFT JOIN agents.agent_versions v ON v.tenant_id = u.tenant_id AND v.agent_id = u.agent_id
                                   AND v.version = u.agent_version;

-- Jobs the queue ran at their first claim: how long each waited from when it was due to when a worker took it.
-- A job keeps its first start, and a retry or a deferral by a limit moves its due time later, so jobs whose due
-- time is past their start (retried, or held back by a quota) are left out: their wait is not known.
CREATE VIEW reporting.queue_waits WITH (security_invoker = true) AS
SELECT j.tenant_id, t.slug AS tenant, j.kind, 'P' || j.priority AS tier, j.state, j.created_at, j.run_at,
       j.started_at, extract(epoch FROM (j.started_at - j.run_at)) * 1000 AS wait_ms
  FROM dispatch.jobs j
  JOIN tenancy.tenants t ON t.id = j.tenant_id
 WHERE j.started_at >= j.run_at;

-- Jobs and the limits that held them back: deferrals by the constraint engine (admission) and by their handlers (a
-- dependency down) are counted apart; deferred_by names the limit a waiting job is held back by now.
CREATE VIEW reporting.queue_jobs WITH (security_invoker = true) AS
SELECT j.tenant_id, t.slug AS tenant, j.kind, 'P' || j.priority AS tier, j.state, j.created_at, j.run_at,
       j.deferrals - j.dependency_deferrals AS admission_deferrals, j.dependency_deferrals,
       CASE WHEN j.state IN ('scheduled', 'available', 'retryable') THEN j.deferred_by END AS held_back_by
  FROM dispatch.jobs j
  JOIN tenancy.tenants t ON t.id = j.tenant_id;

-- Approvals: why they were asked for, how they ended and how long a person took.
CREATE VIEW reporting.approvals WITH (security_invoker = true) AS
SELECT p.tenant_id, t.slug AS tenant, p.id, p.run_id, d.name AS workflow, p.reason, p.state, p.created_at,
       p.decided_at, extract(epoch FROM (p.decided_at - p.created_at)) AS turnaround_seconds
  FROM orchestration.approvals p
  JOIN tenancy.tenants t ON t.id = p.tenant_id
  JOIN orchestration.runs r ON r.tenant_id = p.tenant_id AND r.id = p.run_id
  JOIN orchestration.definitions d ON d.tenant_id = r.tenant_id AND d.id = r.workflow_id;

-- Workflow runs, by workflow name.
CREATE VIEW reporting.workflow_runs WITH (security_invoker = true) AS
SELECT r.tenant_id, t.slug AS tenant, r.id, d.name AS workflow, r.state, r.created_at, r.finished_at
  FROM orchestration.runs r
  JOIN tenancy.tenants t ON t.id = r.tenant_id
  JOIN orchestration.definitions d ON d.tenant_id = r.tenant_id AND d.id = r.workflow_id;

-- Each tenant's monthly budget (NULL: none) and what it spent in the month the counter holds.
CREATE VIEW reporting.budgets WITH (security_invoker = true) AS
SELECT t.id AS tenant_id, t.slug AS tenant, l.monthly_budget, u.month, coalesce(u.month_spent, 0) AS month_spent
  FROM tenancy.tenants t
  LEFT JOIN quota.limits l ON l.tenant_id = t.id AND l.subject = 'tenant'
  LEFT JOIN quota.usage u ON u.tenant_id = t.id AND u.subject = 'tenant';

-- Channel accounts: the daily cap the tenant set (NULL: the type's default applies), the type, and the sends of the
-- last day the counter holds (it keeps one day).
CREATE VIEW reporting.channel_caps WITH (security_invoker = true) AS
SELECT coalesce(l.tenant_id, u.tenant_id) AS tenant_id, t.slug AS tenant,
       substr(coalesce(l.subject, u.subject), 9) AS channel, l.channel_type, l.per_day, u.day,
       coalesce(u.day_used, 0) AS day_used
  FROM quota.limits l
  FULL JOIN quota.usage u ON u.tenant_id = l.tenant_id AND u.subject = l.subject
  JOIN tenancy.tenants t ON t.id = coalesce(l.tenant_id, u.tenant_id)
 WHERE coalesce(l.subject, u.subject) LIKE 'channel:%';

GRANT SELECT ON ALL TABLES IN SCHEMA reporting TO ${analyst_role}, ${platform_analyst_role};
