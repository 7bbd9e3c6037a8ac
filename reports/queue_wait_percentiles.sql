-- Queue wait by tier and tenant: how long jobs that became due in [from, to) waited for a worker (due time to the
-- start of their first claim), at the 50th, 95th and 99th percentiles, in milliseconds. Retried jobs and jobs a
-- limit held back are left out (their last due time is after their first start). The queue keeps completed jobs
-- for STEWARD_DISPATCH_RETENTION_HOURS (72) and dead letters longer, so older windows show dead letters only.
-- Run:  psql "$STEWARD_REPORTS_DSN" -v from=2026-11-20 -v to=2026-11-21 -f reports/queue_wait_percentiles.sql
\set QUIET on
SET TIME ZONE 'UTC'; -- dates and times in and out are UTC, as the views' days are
\set QUIET off
SELECT tier, tenant, count(*) AS jobs,
       round(percentile_cont(0.5) WITHIN GROUP (ORDER BY wait_ms)::numeric, 1) AS p50_ms,
       round(percentile_cont(0.95) WITHIN GROUP (ORDER BY wait_ms)::numeric, 1) AS p95_ms,
       round(percentile_cont(0.99) WITHIN GROUP (ORDER BY wait_ms)::numeric, 1) AS p99_ms
  FROM reporting.queue_waits
 WHERE run_at >= :'from'::timestamptz AND run_at < :'to'::timestamptz
 GROUP BY tier, tenant
 ORDER BY tier, tenant;
