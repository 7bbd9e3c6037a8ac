-- The most expensive workflow runs in [from, to): the 20 whose specialists' model calls cost most, by workflow.
-- Run:  psql "$STEWARD_REPORTS_DSN" -v from=2026-11-01 -v to=2026-12-01 -f reports/top_workflow_runs.sql
\set QUIET on
SET TIME ZONE 'UTC'; -- dates and times in and out are UTC, as the views' days are
\set QUIET off
SELECT c.tenant, c.run_id, r.workflow, r.state, count(*) AS calls, sum(c.total_tokens) AS tokens,
       round(sum(c.cost), 6) AS cost
  FROM reporting.model_calls c
  LEFT JOIN reporting.workflow_runs r ON r.tenant_id = c.tenant_id AND r.id = c.run_id
 WHERE c.run_id IS NOT NULL AND c.occurred_at >= :'from'::timestamptz AND c.occurred_at < :'to'::timestamptz
 GROUP BY c.tenant, c.run_id, r.workflow, r.state
 ORDER BY cost DESC, c.tenant, c.run_id
 LIMIT 20;
