-- Cost per agent and version: which agent (at which of its versions) spent what in [from, to). Calls made for no
-- agent appear with an empty agent.
-- Run:  psql "$STEWARD_REPORTS_DSN" -v from=2026-11-01 -v to=2026-12-01 -f reports/cost_by_agent_version.sql
SELECT tenant, agent, agent_version, count(*) AS calls, sum(total_tokens) AS tokens, round(sum(cost), 6) AS cost
  FROM reporting.model_calls
 WHERE occurred_at >= :'from'::timestamptz AND occurred_at < :'to'::timestamptz
 GROUP BY tenant, agent, agent_version
 ORDER BY tenant, cost DESC, agent, agent_version;
