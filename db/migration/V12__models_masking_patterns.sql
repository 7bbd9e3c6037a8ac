-- Models: a tenant's own kinds of personal data, masked before a prompt leaves the platform like the built-in kinds
-- (each value becomes a placeholder such as [EMPLOYEE_ID_1], restored in the reply). The name is the placeholder's
-- kind; the pattern a Java regular expression, checked to compile before it is stored.

CREATE TABLE models.masking_patterns (
    tenant_id  uuid        NOT NULL REFERENCES tenancy.tenants (id),
    name       text        NOT NULL CHECK (name ~ '^[A-Z][A-Z0-9_]{0,31}$'),
    pattern    text        NOT NULL CHECK (length(pattern) BETWEEN 1 AND 500),
    position   integer     NOT NULL CHECK (position >= 0),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, name)
);
ALTER TABLE models.masking_patterns ENABLE ROW LEVEL SECURITY;
ALTER TABLE models.masking_patterns FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON models.masking_patterns
    USING (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid));
GRANT SELECT, INSERT, DELETE ON models.masking_patterns TO ${app_role};
