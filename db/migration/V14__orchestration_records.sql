-- Orchestration: a tenant's business records that agents work on. A record has a type (built in: lead, account,
-- opportunity, case, task; or one of the tenant's own, with a JSON schema its fields must meet), fields as jsonb, and
-- a version for optimistic concurrency: a change names the version it read and fails if another came first. Every
-- version's fields are kept in record_changes, so a record's history is its own.

CREATE SCHEMA orchestration;
GRANT USAGE ON SCHEMA orchestration TO ${app_role};

CREATE TABLE orchestration.record_types (
    tenant_id  uuid        NOT NULL REFERENCES tenancy.tenants (id),
    name       text        NOT NULL CHECK (name ~ '^[a-z][a-z0-9_]{0,39}$'),
    schema     jsonb       NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, name)
);
ALTER TABLE orchestration.record_types ENABLE ROW LEVEL SECURITY;
ALTER TABLE orchestration.record_types FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON orchestration.record_types
    USING (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid));
GRANT SELECT, INSERT, UPDATE ON orchestration.record_types TO ${app_role};

CREATE TABLE orchestration.records (
    tenant_id  uuid        NOT NULL REFERENCES tenancy.tenants (id),
    id         uuid        NOT NULL,
    type       text        NOT NULL CHECK (type ~ '^[a-z][a-z0-9_]{0,39}$'),
    fields     jsonb       NOT NULL CHECK (jsonb_typeof(fields) = 'object'),
    version    integer     NOT NULL CHECK (version >= 1),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    deleted_at timestamptz,
    PRIMARY KEY (tenant_id, id)
);
ALTER TABLE orchestration.records ENABLE ROW LEVEL SECURITY;
ALTER TABLE orchestration.records FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON orchestration.records
    USING (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid));
CREATE INDEX records_by_type ON orchestration.records (tenant_id, type, created_at) WHERE deleted_at IS NULL;
-- Queries by field values (fields @> '{"status": "new"}').
CREATE INDEX records_by_fields ON orchestration.records USING gin (fields jsonb_path_ops);
GRANT SELECT, INSERT, UPDATE ON orchestration.records TO ${app_role};

CREATE TABLE orchestration.record_changes (
    tenant_id  uuid        NOT NULL,
    record_id  uuid        NOT NULL,
    version    integer     NOT NULL CHECK (version >= 1),
    change     text        NOT NULL CHECK (change IN ('created', 'updated', 'deleted')),
    fields     jsonb       NOT NULL,
    changed_at timestamptz NOT NULL DEFAULT now(),
    changed_by text        NOT NULL,
    PRIMARY KEY (tenant_id, record_id, version),
    FOREIGN KEY (tenant_id, record_id) REFERENCES orchestration.records (tenant_id, id)
);
ALTER TABLE orchestration.record_changes ENABLE ROW LEVEL SECURITY;
ALTER TABLE orchestration.record_changes FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON orchestration.record_changes
    USING (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid));
-- History is append-only.
GRANT SELECT, INSERT ON orchestration.record_changes TO ${app_role};
