-- Model error and fallback rates in [from, to): per tenant, provider and model, the calls that failed, and the
-- calls one of the agent's fallback models answered (its own model having failed first).
-- Run:  psql "$STEWARD_REPORTS_DSN" -v from=2026-11-01 -v to=2026-12-01 -f reports/model_error_rates.sql
\set QUIET on
SET TIME ZONE 'UTC'; -- dates and times in and out are UTC, as the views' days are
\set QUIET off
SELECT tenant, provider, model, count(*) AS calls, count(*) FILTER (WHERE outcome = 'failed') AS failed,
       round(count(*) FILTER (WHERE outcome = 'failed')::numeric / count(*), 4) AS error_rate,
       count(*) FILTER (WHERE fallback) AS fallbacks,
       round(count(*) FILTER (WHERE fallback)::numeric / count(*), 4) AS fallback_rate
  FROM reporting.model_calls
 WHERE occurred_at >= :'from'::timestamptz AND occurred_at < :'to'::timestamptz
 GROUP BY tenant, provider, model
 ORDER BY tenant, provider, model;
