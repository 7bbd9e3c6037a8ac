-- Tools: the hosts a tenant's HTTP tool calls may reach. An entry is a host pattern (host, host:port, host:*,
-- *.domain); allow_private lets it reach loopback and private addresses, which only an installation that allows
-- that at all (STEWARD_TOOLS_HTTP_ALLOW_PRIVATE) accepts.

CREATE TABLE tools.http_hosts (
    tenant_id     uuid        NOT NULL REFERENCES tenancy.tenants (id),
    host          text        NOT NULL CHECK (length(host) BETWEEN 1 AND 260),
    allow_private boolean     NOT NULL DEFAULT false,
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, host)
);
ALTER TABLE tools.http_hosts ENABLE ROW LEVEL SECURITY;
ALTER TABLE tools.http_hosts FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tools.http_hosts
    USING (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid));
GRANT SELECT, INSERT, DELETE ON tools.http_hosts TO ${app_role};
