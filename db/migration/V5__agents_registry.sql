-- Agents: a tenant's agent definitions. An agent has a name (unique among the tenant's live agents) and a chain of
-- immutable versions; every change of its configuration is a new version, identified by the SHA-256 of the
-- configuration's canonical JSON. Sessions pin the version they started with.

CREATE SCHEMA agents;
GRANT USAGE ON SCHEMA agents TO ${app_role};

CREATE TABLE agents.agents (
    tenant_id       uuid        NOT NULL REFERENCES tenancy.tenants (id),
    id              uuid        NOT NULL,
    name            text        NOT NULL CHECK (name ~ '^[a-z0-9][a-z0-9._-]{0,62}$'),
    kind            text        NOT NULL CHECK (kind IN ('llm', 'remote')),
    current_version integer     NOT NULL CHECK (current_version >= 1),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    deleted_at      timestamptz,
    PRIMARY KEY (tenant_id, id)
);
ALTER TABLE agents.agents ENABLE ROW LEVEL SECURITY;
ALTER TABLE agents.agents FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON agents.agents
    USING (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid));
-- A deleted agent's name may be used again; its versions stay for the sessions and costs that name them.
CREATE UNIQUE INDEX agents_live_name ON agents.agents (tenant_id, name) WHERE deleted_at IS NULL;
GRANT SELECT, INSERT, UPDATE ON agents.agents TO ${app_role};

CREATE TABLE agents.agent_versions (
    tenant_id  uuid        NOT NULL,
    agent_id   uuid        NOT NULL,
    version    integer     NOT NULL CHECK (version >= 1),
    config     jsonb       NOT NULL,
    sha256     text        NOT NULL CHECK (sha256 ~ '^[0-9a-f]{64}$'),
    created_at timestamptz NOT NULL DEFAULT now(),
    created_by text        NOT NULL,
    PRIMARY KEY (tenant_id, agent_id, version),
    FOREIGN KEY (tenant_id, agent_id) REFERENCES agents.agents (tenant_id, id)
);
ALTER TABLE agents.agent_versions ENABLE ROW LEVEL SECURITY;
ALTER TABLE agents.agent_versions FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON agents.agent_versions
    USING (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid));
-- Versions are immutable: the application may add them, never change or remove them.
GRANT SELECT, INSERT ON agents.agent_versions TO ${app_role};
