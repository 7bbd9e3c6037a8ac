-- Tools: the remote MCP servers a tenant registered (Streamable HTTP) and the tools each listed when it was last
-- asked (tools/list), cached so that the catalog never waits on a remote server. A server's name is the namespace
-- of its tools in the catalog (<name>__<tool>). Its headers (an Authorization bearer, an API key header) are kept
-- AES-256-GCM sealed under a key derived from the master key, bound to the tenant and the server's name, and are
-- never shown again; only their names are. Its tools are writes (a call waits for approval unless the agent's grant
-- auto-approves it) except those the tenant names in read_only_tools: a remote server's own hints are not trusted.

CREATE TABLE tools.mcp_servers (
    tenant_id       uuid        NOT NULL REFERENCES tenancy.tenants (id),
    name            text        NOT NULL CHECK (name ~ '^[a-z][a-z0-9-]{0,23}$'),
    url             text        NOT NULL CHECK (length(url) BETWEEN 1 AND 2000),
    allow_private   boolean     NOT NULL DEFAULT false,
    timeout_seconds integer     NOT NULL CHECK (timeout_seconds BETWEEN 1 AND 120),
    read_only_tools text[]      NOT NULL DEFAULT '{}',
    header_names    text[]      NOT NULL DEFAULT '{}',
    headers_sealed  bytea,
    skipped         jsonb       NOT NULL DEFAULT '[]',
    created_at      timestamptz NOT NULL DEFAULT now(),
    refreshed_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, name)
);
ALTER TABLE tools.mcp_servers ENABLE ROW LEVEL SECURITY;
ALTER TABLE tools.mcp_servers FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tools.mcp_servers
    USING (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid));
GRANT SELECT, INSERT, UPDATE, DELETE ON tools.mcp_servers TO ${app_role};

-- name is the catalog's (<server>__<tool>, unique in the tenant); remote_name is what tools/call is sent.
CREATE TABLE tools.mcp_tools (
    tenant_id    uuid  NOT NULL,
    server       text  NOT NULL,
    name         text  NOT NULL CHECK (name ~ '^[a-z][a-z0-9_-]{0,62}$'),
    remote_name  text  NOT NULL CHECK (length(remote_name) BETWEEN 1 AND 128),
    description  text  NOT NULL CHECK (length(description) <= 4000),
    input_schema jsonb NOT NULL,
    PRIMARY KEY (tenant_id, name),
    FOREIGN KEY (tenant_id, server) REFERENCES tools.mcp_servers (tenant_id, name) ON DELETE CASCADE
);
CREATE INDEX mcp_tools_by_server ON tools.mcp_tools (tenant_id, server);
ALTER TABLE tools.mcp_tools ENABLE ROW LEVEL SECURITY;
ALTER TABLE tools.mcp_tools FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tools.mcp_tools
    USING (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid));
GRANT SELECT, INSERT, DELETE ON tools.mcp_tools TO ${app_role};
