-- Approval turnaround: approvals asked for in [from, to) by tenant and reason, how they ended, and how long people
-- took to decide (median and 95th percentile, in seconds, of those decided).
-- Run:  psql "$STEWARD_REPORTS_DSN" -v from=2026-11-01 -v to=2026-12-01 -f reports/approval_turnaround.sql
SELECT tenant, reason, count(*) AS asked, count(*) FILTER (WHERE state = 'approved') AS approved,
       count(*) FILTER (WHERE state = 'denied') AS denied, count(*) FILTER (WHERE state = 'expired') AS expired,
       count(*) FILTER (WHERE state = 'pending') AS pending,
       round(percentile_cont(0.5) WITHIN GROUP (ORDER BY turnaround_seconds)::numeric, 1) AS p50_seconds,
       round(percentile_cont(0.95) WITHIN GROUP (ORDER BY turnaround_seconds)::numeric, 1) AS p95_seconds
  FROM reporting.approvals
 WHERE created_at >= :'from'::timestamptz AND created_at < :'to'::timestamptz
 GROUP BY tenant, reason
 ORDER BY tenant, reason;
