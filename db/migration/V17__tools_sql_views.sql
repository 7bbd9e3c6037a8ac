-- Tools: the documented views the SQL tool's queries may read, and nothing else.
--
-- A query runs in a READ ONLY transaction as ${sql_role} (SET LOCAL ROLE from the application role), which may use
-- this schema and select from these views and has no privilege on any of Steward's tables. The views run as their
-- owner, whose reads row-level security still binds (the tables force it), so each sees the rows of the tenant the
-- transaction is bound to and no other. No view shows tenant_id: a query has no tenant to name.

CREATE SCHEMA agent_sql;
GRANT USAGE ON SCHEMA agent_sql TO ${sql_role};

-- The tenant's business records (live ones): fields are jsonb, read with fields->>'name'.
CREATE VIEW agent_sql.records WITH (security_barrier) AS
SELECT id, type, fields, version, created_at, updated_at
  FROM orchestration.records WHERE deleted_at IS NULL;

-- Every version of every record: what changed, when and by whom.
CREATE VIEW agent_sql.record_changes WITH (security_barrier) AS
SELECT record_id, version, change, fields, changed_at, changed_by
  FROM orchestration.record_changes;

-- Workflow runs: which workflow, on which record, how they went.
CREATE VIEW agent_sql.workflow_runs WITH (security_barrier) AS
SELECT r.id, d.name AS workflow, r.workflow_version, r.record_id, r.state, r.error, r.created_at, r.started_at,
       r.finished_at
  FROM orchestration.runs r
  JOIN orchestration.definitions d ON d.tenant_id = r.tenant_id AND d.id = r.workflow_id;

-- Actions that waited for a person: why, and what was decided.
CREATE VIEW agent_sql.approvals WITH (security_barrier) AS
SELECT id, run_id, record_id, action, confidence, reason, state, created_at, decided_at, decided_by
  FROM orchestration.approvals;

-- Model calls: tokens, cost and latency by model, provider and agent.
CREATE VIEW agent_sql.model_usage WITH (security_barrier) AS
SELECT u.occurred_at, u.model, u.provider, a.name AS agent, u.agent_version, u.session_id, u.input_tokens,
       u.output_tokens, u.cached_tokens, u.latency_ms, u.cost, u.outcome
  FROM billing.usage_events u
  LEFT JOIN agents.agents a ON a.tenant_id = u.tenant_id AND a.id = u.agent_id;

GRANT SELECT ON agent_sql.records, agent_sql.record_changes, agent_sql.workflow_runs, agent_sql.approvals,
    agent_sql.model_usage TO ${sql_role};
