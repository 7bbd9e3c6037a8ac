-- Billing: one usage event per model call, for cost reports in SQL and GET /api/v1/usage. Cost is computed at call
-- time from the model's prices (per million tokens) and kept, so later price changes do not rewrite history.

CREATE SCHEMA billing;
GRANT USAGE ON SCHEMA billing TO ${app_role};

CREATE TABLE billing.usage_events (
    tenant_id     uuid           NOT NULL REFERENCES tenancy.tenants (id),
    id            bigint         GENERATED ALWAYS AS IDENTITY,
    occurred_at   timestamptz    NOT NULL DEFAULT now(),
    model         text           NOT NULL,
    provider      text           NOT NULL,
    agent_id      uuid,
    agent_version integer,
    session_id    text,
    input_tokens  integer        NOT NULL CHECK (input_tokens >= 0),
    output_tokens integer        NOT NULL CHECK (output_tokens >= 0),
    cached_tokens integer        NOT NULL DEFAULT 0 CHECK (cached_tokens >= 0),
    latency_ms    integer        NOT NULL CHECK (latency_ms >= 0),
    cost          numeric(16, 8) NOT NULL CHECK (cost >= 0),
    outcome       text           NOT NULL CHECK (outcome IN ('ok', 'failed')),
    PRIMARY KEY (tenant_id, id)
);
ALTER TABLE billing.usage_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE billing.usage_events FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON billing.usage_events
    USING (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid));
CREATE INDEX usage_events_time ON billing.usage_events (tenant_id, occurred_at);
-- Append-only: events are facts.
GRANT SELECT, INSERT ON billing.usage_events TO ${app_role};
