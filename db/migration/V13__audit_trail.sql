-- Audit: an append-only, tamper-evident trail per tenant. Each entry carries the hash of the one before it and its
-- own hash over its content (sha256(prev_hash || canonical text)), computed by the database when it is appended,
-- so a changed, removed or reordered entry breaks the chain that GET /api/v1/audit/verify walks. The application
-- may add entries and read them, never change or remove them. The chain's head (last number and hash) lives in
-- audit.chains and is locked by each append, so entries of one tenant are numbered without gaps, in commit order;
-- the head also shows when entries at the end were removed.

CREATE SCHEMA audit;
GRANT USAGE ON SCHEMA audit TO ${app_role};

CREATE TABLE audit.chains (
    tenant_id uuid   NOT NULL REFERENCES tenancy.tenants (id),
    last_seq  bigint NOT NULL CHECK (last_seq >= 0),
    last_hash bytea  NOT NULL,
    PRIMARY KEY (tenant_id)
);
ALTER TABLE audit.chains ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit.chains FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON audit.chains
    USING (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid));
GRANT SELECT, INSERT, UPDATE ON audit.chains TO ${app_role};

CREATE TABLE audit.entries (
    tenant_id   uuid        NOT NULL REFERENCES tenancy.tenants (id),
    seq         bigint      NOT NULL CHECK (seq >= 1),
    occurred_at timestamptz NOT NULL,
    actor       text        NOT NULL,
    action      text        NOT NULL CHECK (action ~ '^[a-z][a-z0-9_.-]{0,62}$'),
    agent_id    uuid,
    session_id  uuid,
    run_id      uuid,
    record_id   text,
    details     jsonb       NOT NULL,
    prev_hash   bytea       NOT NULL,
    hash        bytea       NOT NULL,
    PRIMARY KEY (tenant_id, seq)
);
ALTER TABLE audit.entries ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit.entries FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON audit.entries
    USING (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid));
CREATE INDEX entries_by_time ON audit.entries (tenant_id, occurred_at);
CREATE INDEX entries_by_session ON audit.entries (tenant_id, session_id) WHERE session_id IS NOT NULL;
CREATE INDEX entries_by_agent ON audit.entries (tenant_id, agent_id) WHERE agent_id IS NOT NULL;
-- Append-only: no UPDATE or DELETE for the application.
GRANT SELECT, INSERT ON audit.entries TO ${app_role};

-- The text an entry's hash covers: every column but the hashes, in a fixed order and form.
CREATE FUNCTION audit.canonical(e audit.entries) RETURNS bytea
    LANGUAGE sql IMMUTABLE AS $$
    SELECT convert_to(concat_ws(E'\x1f', e.tenant_id::text, e.seq::text,
        (extract(epoch FROM e.occurred_at) * 1000000)::bigint::text, e.actor, e.action,
        coalesce(e.agent_id::text, ''), coalesce(e.session_id::text, ''), coalesce(e.run_id::text, ''),
        coalesce(e.record_id, ''), e.details::text), 'UTF8')
$$;
GRANT EXECUTE ON FUNCTION audit.canonical(audit.entries) TO ${app_role};
