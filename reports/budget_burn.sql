-- Budget burn-down and forecast: each tenant's monthly budget, what its model calls cost in the UTC month up to
-- as_of (default now), the share used, and the month-end spend if it goes on as it has (spent / elapsed share of
-- the month). Status: over (the hard stop holds model work), alert (alert_percent, default 80 as
-- STEWARD_QUOTA_BUDGET_ALERT_PERCENT, or more used, or the forecast past the budget), ok, or no budget. The budget
-- is the current one; spend is summed from the model calls, so past months can be looked at too.
-- Run:  psql "$STEWARD_REPORTS_DSN" -f reports/budget_burn.sql
--       psql "$STEWARD_REPORTS_DSN" -v as_of=2026-11-16 -v alert_percent=90 -f reports/budget_burn.sql
\set QUIET on
SET TIME ZONE 'UTC'; -- dates and times in and out are UTC, as the views' days are
\set QUIET off
\if :{?as_of}
\else
\set as_of now
\endif
\if :{?alert_percent}
\else
\set alert_percent 80
\endif
WITH clock AS (
    SELECT :'as_of'::timestamptz AS as_of, date_trunc('month', :'as_of'::timestamptz) AS month_start
), spend AS (
    SELECT c.tenant_id, sum(c.cost) AS spent
      FROM reporting.model_calls c CROSS JOIN clock k
     WHERE c.occurred_at >= k.month_start AND c.occurred_at < k.as_of
     GROUP BY c.tenant_id
), burn AS (
    SELECT b.tenant, b.monthly_budget, coalesce(s.spent, 0) AS spent,
           extract(epoch FROM k.as_of - k.month_start)
               / extract(epoch FROM (k.month_start + interval '1 month') - k.month_start) AS elapsed
      FROM reporting.budgets b CROSS JOIN clock k
      LEFT JOIN spend s ON s.tenant_id = b.tenant_id
)
SELECT tenant, monthly_budget, round(spent, 2) AS spent, round(spent / nullif(monthly_budget, 0), 4) AS used_share,
       round(spent / nullif(elapsed, 0), 2) AS forecast,
       CASE WHEN monthly_budget IS NULL THEN 'no budget'
            WHEN spent >= monthly_budget THEN 'over'
            WHEN spent * 100 >= :'alert_percent'::numeric * monthly_budget
                 OR spent / nullif(elapsed, 0) > monthly_budget THEN 'alert'
            ELSE 'ok' END AS status
  FROM burn
 ORDER BY tenant;
