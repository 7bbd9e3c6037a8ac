-- Token usage split: input, output and cached input tokens per tenant and model in [from, to), and the share of
-- input tokens the provider served from its cache (cached tokens are part of the input).
-- Run:  psql "$STEWARD_REPORTS_DSN" -v from=2026-11-01 -v to=2026-12-01 -f reports/token_usage.sql
\set QUIET on
SET TIME ZONE 'UTC'; -- dates and times in and out are UTC, as the views' days are
\set QUIET off
SELECT tenant, model, sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens,
       sum(cached_tokens) AS cached_tokens,
       round(sum(cached_tokens)::numeric / nullif(sum(input_tokens), 0), 4) AS cached_share
  FROM reporting.model_calls
 WHERE occurred_at >= :'from'::timestamptz AND occurred_at < :'to'::timestamptz
 GROUP BY tenant, model
 ORDER BY tenant, model;
