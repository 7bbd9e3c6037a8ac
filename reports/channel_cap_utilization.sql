-- Channel caps: each channel account's sends on the day its counter holds against its daily cap (the tenant's own,
-- else its type's default: gmail 2000, o365 10000, smtp STEWARD_QUOTA_SMTP_PER_DAY, given as smtp_per_day, 1000
-- unless set), and the share used. The counter keeps one day: a past day shows its sends only if no send came
-- since, else 0.
-- Run:  psql "$STEWARD_REPORTS_DSN" -f reports/channel_cap_utilization.sql            (today, UTC)
--       psql "$STEWARD_REPORTS_DSN" -v day=2026-11-20 -v smtp_per_day=500 -f reports/channel_cap_utilization.sql
\set QUIET on
SET TIME ZONE 'UTC'; -- dates and times in and out are UTC, as the views' days are
\set QUIET off
\if :{?day}
\else
\set day today
\endif
\if :{?smtp_per_day}
\else
\set smtp_per_day 1000
\endif
WITH caps AS (
    SELECT tenant, channel, coalesce(per_day, CASE channel_type WHEN 'gmail' THEN 2000 WHEN 'o365' THEN 10000
                                              ELSE :'smtp_per_day'::integer END) AS per_day,
           CASE WHEN day = :'day'::date THEN day_used ELSE 0 END AS sent
      FROM reporting.channel_caps
)
SELECT tenant, channel, per_day, sent, round(sent::numeric / nullif(per_day, 0), 4) AS used_share
  FROM caps
 ORDER BY tenant, channel;
