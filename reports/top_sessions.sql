-- The most expensive sessions in [from, to): the 20 that cost most, with their agent and model calls.
-- Run:  psql "$STEWARD_REPORTS_DSN" -v from=2026-11-01 -v to=2026-12-01 -f reports/top_sessions.sql
\set QUIET on
SET TIME ZONE 'UTC'; -- dates and times in and out are UTC, as the views' days are
\set QUIET off
SELECT tenant, session_id, min(agent) AS agent, count(*) AS calls, sum(total_tokens) AS tokens,
       round(sum(cost), 6) AS cost
  FROM reporting.model_calls
 WHERE session_id IS NOT NULL AND occurred_at >= :'from'::timestamptz AND occurred_at < :'to'::timestamptz
 GROUP BY tenant, session_id
 ORDER BY cost DESC, tenant, session_id
 LIMIT 20;
