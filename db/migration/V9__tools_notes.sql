-- Tools: the notes the built-in save_note tool writes (its side effect, the example of a write that waits for
-- approval). A call's key (the turn and the model's call id) makes a repeated call, after a crash between writing
-- and recording, write once.

CREATE SCHEMA tools;
GRANT USAGE ON SCHEMA tools TO ${app_role};

CREATE TABLE tools.notes (
    tenant_id  uuid        NOT NULL REFERENCES tenancy.tenants (id),
    id         bigint      GENERATED ALWAYS AS IDENTITY,
    call_key   text        NOT NULL CHECK (length(call_key) BETWEEN 1 AND 300),
    text       text        NOT NULL CHECK (length(text) BETWEEN 1 AND 10000),
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, call_key)
);
ALTER TABLE tools.notes ENABLE ROW LEVEL SECURITY;
ALTER TABLE tools.notes FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tools.notes
    USING (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid));
GRANT SELECT, INSERT ON tools.notes TO ${app_role};
