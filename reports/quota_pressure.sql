-- Quota pressure: how often the constraint engine held tenants' work back, for jobs created in [from, to), by tenant
-- and tier: jobs, how many were held back at least once by a limit (concurrency, rate, provider tokens, channel cap,
-- budget), the deferrals in all, and how many of them wait right now and on which limit.
-- Run:  psql "$STEWARD_REPORTS_DSN" -v from=2026-11-20 -v to=2026-11-21 -f reports/quota_pressure.sql
\set QUIET on
SET TIME ZONE 'UTC'; -- dates and times in and out are UTC, as the views' days are
\set QUIET off
SELECT tenant, tier, count(*) AS jobs, count(*) FILTER (WHERE admission_deferrals > 0) AS held_back,
       sum(admission_deferrals) AS deferrals, count(held_back_by) AS waiting_now,
       coalesce(string_agg(DISTINCT held_back_by, ' ' ORDER BY held_back_by), '') AS waiting_on
  FROM reporting.queue_jobs
 WHERE created_at >= :'from'::timestamptz AND created_at < :'to'::timestamptz
 GROUP BY tenant, tier
 ORDER BY tenant, tier;
