-- Approval turnaround: approvals asked for in [from, to) by tenant and reason, how they ended, and how long people
-- took to decide (median and 95th percentile, in seconds, of those a person approved or denied: expiry and
-- cancellation are not decisions).
-- Run:  psql "$STEWARD_REPORTS_DSN" -v from=2026-11-01 -v to=2026-12-01 -f reports/approval_turnaround.sql
\set QUIET on
SET TIME ZONE 'UTC'; -- dates and times in and out are UTC, as the views' days are
\set QUIET off
SELECT tenant, reason, count(*) AS asked, count(*) FILTER (WHERE state = 'approved') AS approved,
       count(*) FILTER (WHERE state = 'denied') AS denied, count(*) FILTER (WHERE state = 'expired') AS expired,
       count(*) FILTER (WHERE state = 'cancelled') AS cancelled, count(*) FILTER (WHERE state = 'pending') AS pending,
       round((percentile_cont(0.5) WITHIN GROUP (ORDER BY turnaround_seconds)
              FILTER (WHERE state IN ('approved', 'denied')))::numeric, 1) AS p50_seconds,
       round((percentile_cont(0.95) WITHIN GROUP (ORDER BY turnaround_seconds)
              FILTER (WHERE state IN ('approved', 'denied')))::numeric, 1) AS p95_seconds
  FROM reporting.approvals
 WHERE created_at >= :'from'::timestamptz AND created_at < :'to'::timestamptz
 GROUP BY tenant, reason
 ORDER BY tenant, reason;
