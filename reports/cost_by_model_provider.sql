-- Cost per model and provider: where the money went by model (as the tenant names it) and provider account, in
-- [from, to), with the mean latency of a call.
-- Run:  psql "$STEWARD_REPORTS_DSN" -v from=2026-11-01 -v to=2026-12-01 -f reports/cost_by_model_provider.sql
SELECT tenant, provider, model, count(*) AS calls, sum(total_tokens) AS tokens, round(sum(cost), 6) AS cost,
       round(avg(latency_ms)) AS mean_latency_ms
  FROM reporting.model_calls
 WHERE occurred_at >= :'from'::timestamptz AND occurred_at < :'to'::timestamptz
 GROUP BY tenant, provider, model
 ORDER BY tenant, cost DESC, provider, model;
