-- Channel caps: each channel account's sends on a UTC day against its daily cap (the account's own, else its
-- type's default), and the share used.
-- Run:  psql "$STEWARD_REPORTS_DSN" -f reports/channel_cap_utilization.sql            (today)
--       psql "$STEWARD_REPORTS_DSN" -v day=2026-11-20 -f reports/channel_cap_utilization.sql
\if :{?day}
\else
\set day today
\endif
SELECT tenant, channel, per_day,
       CASE WHEN day = :'day'::date THEN day_used ELSE 0 END AS sent,
       round(CASE WHEN day = :'day'::date THEN day_used ELSE 0 END::numeric / nullif(per_day, 0), 4) AS used_share
  FROM reporting.channel_caps
 ORDER BY tenant, channel;
