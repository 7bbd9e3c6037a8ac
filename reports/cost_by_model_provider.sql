-- Cost per model and provider: where the money went by model (as the tenant names it) and provider, in
-- [from, to), with the mean latency of a call.
-- Run:  psql "$STEWARD_REPORTS_DSN" -v from=2026-11-01 -v to=2026-12-01 -f reports/cost_by_model_provider.sql
\set QUIET on
SET TIME ZONE 'UTC'; -- dates and times in and out are UTC, as the views' days are
\set QUIET off
SELECT tenant, provider, model, count(*) AS calls, sum(total_tokens) AS tokens, round(sum(cost), 6) AS cost,
       round(avg(latency_ms)) AS mean_latency_ms
  FROM reporting.model_calls
 WHERE occurred_at >= :'from'::timestamptz AND occurred_at < :'to'::timestamptz
 GROUP BY tenant, provider, model
 ORDER BY tenant, cost DESC, provider, model;
