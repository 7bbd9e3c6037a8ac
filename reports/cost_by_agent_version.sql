-- Cost per agent and version: which agent (at which of its versions) spent what in [from, to). Calls made for no
-- agent appear with an empty agent; a name a deleted agent had and a new one took counts as two agents.
-- Run:  psql "$STEWARD_REPORTS_DSN" -v from=2026-11-01 -v to=2026-12-01 -f reports/cost_by_agent_version.sql
\set QUIET on
SET TIME ZONE 'UTC'; -- dates and times in and out are UTC, as the views' days are
\set QUIET off
SELECT tenant, agent, agent_version, count(*) AS calls, sum(total_tokens) AS tokens, round(sum(cost), 6) AS cost
  FROM reporting.model_calls
 WHERE occurred_at >= :'from'::timestamptz AND occurred_at < :'to'::timestamptz
 GROUP BY tenant, agent_id, agent, agent_version
 ORDER BY tenant, cost DESC, agent, agent_version;
