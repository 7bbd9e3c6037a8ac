-- Cost per tenant per day: model calls, tokens and money each tenant spent each UTC day in [from, to).
-- Run:  psql "$STEWARD_REPORTS_DSN" -v from=2026-11-01 -v to=2026-12-01 -f reports/cost_by_tenant_day.sql
-- As a tenant analyst it covers the tenants reporting.analysts names for you; as a platform analyst, all.
\set QUIET on
SET TIME ZONE 'UTC'; -- dates and times in and out are UTC, as the views' days are
\set QUIET off
SELECT tenant, day, count(*) AS calls, sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens,
       sum(cached_tokens) AS cached_tokens, round(sum(cost), 6) AS cost
  FROM reporting.model_calls
 WHERE occurred_at >= :'from'::timestamptz AND occurred_at < :'to'::timestamptz
 GROUP BY tenant, day
 ORDER BY day, tenant;
