-- Budget burn-down and forecast: each tenant's monthly budget, what it spent this month (UTC), the share used,
-- and the month-end spend if it goes on as it has (spent / elapsed share of the month). Status: over (the hard stop
-- holds model work), alert (80% or more used, or the forecast exceeds the budget), ok, or no budget.
-- Run:  psql "$STEWARD_REPORTS_DSN" -f reports/budget_burn.sql            (as of now)
--       psql "$STEWARD_REPORTS_DSN" -v as_of=2026-11-16 -f reports/budget_burn.sql
\if :{?as_of}
\else
\set as_of now
\endif
WITH clock AS (
    SELECT :'as_of'::timestamptz AS as_of,
           date_trunc('month', :'as_of'::timestamptz AT TIME ZONE 'UTC') AS month_start
), burn AS (
    SELECT b.tenant, b.monthly_budget,
           CASE WHEN b.month = c.month_start::date THEN b.month_spent ELSE 0 END AS spent,
           extract(epoch FROM (c.as_of AT TIME ZONE 'UTC') - c.month_start)
               / extract(epoch FROM (c.month_start + interval '1 month') - c.month_start) AS elapsed
      FROM reporting.budgets b CROSS JOIN clock c
)
SELECT tenant, monthly_budget, round(spent, 2) AS spent,
       round(spent / nullif(monthly_budget, 0), 4) AS used_share,
       round(spent / nullif(elapsed, 0), 2) AS forecast,
       CASE WHEN monthly_budget IS NULL THEN 'no budget'
            WHEN spent >= monthly_budget THEN 'over'
            WHEN spent >= 0.8 * monthly_budget OR spent / nullif(elapsed, 0) > monthly_budget THEN 'alert'
            ELSE 'ok' END AS status
  FROM burn
 ORDER BY tenant;
