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

-- The analysts' paths into the tables the views read: SELECT only.
DO $$
DECLARE
    tables text[] := ARRAY['billing.usage_events', 'agents.agents', 'agents.agent_versions', 'dispatch.jobs',
                           'orchestration.approvals', 'orchestration.runs', 'orchestration.definitions',
                           'quota.limits', 'quota.usage'];
    t text;
BEGIN
    FOREACH t IN ARRAY tables LOOP
        EXECUTE format('CREATE POLICY analyst_path ON %s FOR SELECT TO ${analyst_role}'
                       ' USING (tenant_id IN (SELECT reporting.my_tenants()))', t);
        EXECUTE format('CREATE POLICY analyst_bound ON %s AS RESTRICTIVE FOR SELECT TO ${analyst_role}'
                       ' USING (tenant_id IN (SELECT reporting.my_tenants()))', t);
        EXECUTE format('CREATE POLICY platform_analyst_path ON %s FOR SELECT TO ${platform_analyst_role}'
                       ' USING (true)', t);
        EXECUTE format('GRANT SELECT ON %s TO ${analyst_role}, ${platform_analyst_role}', t);
    END LOOP;
END;
$$;
CREATE POLICY analyst_path ON tenancy.tenants FOR SELECT TO ${analyst_role}
    USING (id IN (SELECT reporting.my_tenants()));
CREATE POLICY analyst_bound ON tenancy.tenants AS RESTRICTIVE FOR SELECT TO ${analyst_role}
    USING (id IN (SELECT reporting.my_tenants()));
CREATE POLICY platform_analyst_path ON tenancy.tenants FOR SELECT TO ${platform_analyst_role} USING (true);
GRANT SELECT ON tenancy.tenants TO ${analyst_role}, ${platform_analyst_role};
GRANT USAGE ON SCHEMA billing, agents, dispatch, orchestration, quota, tenancy
    TO ${analyst_role}, ${platform_analyst_role};

-- Every model call: what it cost, in tokens and money, for which tenant, agent (and version), model and provider,
-- and for which session or workflow run. fallback: answered by another model than the agent's own.
CREATE VIEW reporting.model_calls WITH (security_invoker = true) AS
SELECT u.tenant_id, t.slug AS tenant, u.occurred_at, (u.occurred_at AT TIME ZONE 'UTC')::date AS day,
       u.agent_id, a.name AS agent, u.agent_version, u.model, u.provider,
       CASE WHEN u.session_id LIKE 'run:%' THEN NULL ELSE u.session_id END AS session_id,
       CASE WHEN u.session_id LIKE 'run:%' THEN substr(u.session_id, 5)::uuid END AS run_id,
       u.input_tokens, u.output_tokens, u.cached_tokens, u.input_tokens + u.output_tokens AS total_tokens,
       u.cost, u.latency_ms, u.outcome,
       v.config->>'model' IS NOT NULL AND u.model <> v.config->>'model' AS fallback
  FROM billing.usage_events u
  JOIN tenancy.tenants t ON t.id = u.tenant_id
  LEFT JOIN agents.agents a ON a.tenant_id = u.tenant_id AND a.id = u.agent_id
  LEFT JOIN agents.agent_versions v ON v.tenant_id = u.tenant_id AND v.agent_id = u.agent_id
                                   AND v.version = u.agent_version;

-- Jobs the queue ran: how long each waited from when it was due to when a worker took it (its latest attempt).
CREATE VIEW reporting.queue_waits WITH (security_invoker = true) AS
SELECT j.tenant_id, t.slug AS tenant, j.kind, 'P' || j.priority AS tier, j.state, j.created_at, j.run_at,
       j.started_at, extract(epoch FROM (j.started_at - j.run_at)) * 1000 AS wait_ms
  FROM dispatch.jobs j
  JOIN tenancy.tenants t ON t.id = j.tenant_id
 WHERE j.started_at IS NOT NULL;

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

-- Channel accounts' daily caps (the tenant's own, else the type's default: gmail 2000, o365 10000, smtp the
-- installation's STEWARD_QUOTA_SMTP_PER_DAY, 1000 unless changed) and the day's sends.
CREATE VIEW reporting.channel_caps WITH (security_invoker = true) AS
SELECT coalesce(l.tenant_id, u.tenant_id) AS tenant_id, t.slug AS tenant,
       substr(coalesce(l.subject, u.subject), 9) AS channel, l.channel_type,
       coalesce(l.per_day, CASE l.channel_type WHEN 'gmail' THEN 2000 WHEN 'o365' THEN 10000 ELSE 1000 END)
           AS per_day,
       u.day, coalesce(u.day_used, 0) AS day_used
  FROM quota.limits l
  FULL JOIN quota.usage u ON u.tenant_id = l.tenant_id AND u.subject = l.subject
  JOIN tenancy.tenants t ON t.id = coalesce(l.tenant_id, u.tenant_id)
 WHERE coalesce(l.subject, u.subject) LIKE 'channel:%';

GRANT SELECT ON ALL TABLES IN SCHEMA reporting TO ${analyst_role}, ${platform_analyst_role};
