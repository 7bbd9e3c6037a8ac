-- Queue wait by tier and tenant: how long jobs that became due in [from, to) waited for a worker (due time to the
-- start of their latest attempt), at the 50th, 95th and 99th percentiles, in milliseconds. The queue keeps finished
-- jobs for STEWARD_DISPATCH_RETENTION_HOURS (72), so this looks back that far at most.
-- Run:  psql "$STEWARD_REPORTS_DSN" -v from=2026-11-20 -v to=2026-11-21 -f reports/queue_wait_percentiles.sql
SELECT tier, tenant, count(*) AS jobs,
       round(percentile_cont(0.5) WITHIN GROUP (ORDER BY wait_ms)::numeric, 1) AS p50_ms,
       round(percentile_cont(0.95) WITHIN GROUP (ORDER BY wait_ms)::numeric, 1) AS p95_ms,
       round(percentile_cont(0.99) WITHIN GROUP (ORDER BY wait_ms)::numeric, 1) AS p99_ms
  FROM reporting.queue_waits
 WHERE run_at >= :'from'::timestamptz AND run_at < :'to'::timestamptz
 GROUP BY tier, tenant
 ORDER BY tier, tenant;
