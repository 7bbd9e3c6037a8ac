-- Orchestration: workflows, routing rules, runs, approvals and record leases.
--
-- Workflows (DAGs of nodes) and routing rules (which trigger starts which workflow) are definitions with a chain of
-- immutable versions, like agents. A run executes one workflow version; each node is a queued job, and the run's
-- and nodes' states are written at every step so that a crashed node resumes from the last one written. A run that
-- works on a record holds that record's lease until it ends, so no two runs act on one record at once. Specialists
-- only propose; the supervisor commits, and what it may not commit alone waits in approvals.

CREATE TABLE orchestration.definitions (
    tenant_id       uuid        NOT NULL REFERENCES tenancy.tenants (id),
    id              uuid        NOT NULL,
    kind            text        NOT NULL CHECK (kind IN ('workflow', 'routing-rule')),
    name            text        NOT NULL CHECK (name ~ '^[a-z0-9][a-z0-9._-]{0,62}$'),
    current_version integer     NOT NULL CHECK (current_version >= 1),
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    deleted_at      timestamptz,
    PRIMARY KEY (tenant_id, id)
);
ALTER TABLE orchestration.definitions ENABLE ROW LEVEL SECURITY;
ALTER TABLE orchestration.definitions FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON orchestration.definitions
    USING (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid));
CREATE UNIQUE INDEX definitions_live_name ON orchestration.definitions (tenant_id, kind, name)
    WHERE deleted_at IS NULL;
GRANT SELECT, INSERT, UPDATE ON orchestration.definitions TO ${app_role};

CREATE TABLE orchestration.definition_versions (
    tenant_id     uuid        NOT NULL,
    definition_id uuid        NOT NULL,
    version       integer     NOT NULL CHECK (version >= 1),
    body          jsonb       NOT NULL,
    created_at    timestamptz NOT NULL DEFAULT now(),
    created_by    text        NOT NULL,
    PRIMARY KEY (tenant_id, definition_id, version),
    FOREIGN KEY (tenant_id, definition_id) REFERENCES orchestration.definitions (tenant_id, id)
);
ALTER TABLE orchestration.definition_versions ENABLE ROW LEVEL SECURITY;
ALTER TABLE orchestration.definition_versions FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON orchestration.definition_versions
    USING (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid));
-- Versions are immutable: runs name the version they execute.
GRANT SELECT, INSERT ON orchestration.definition_versions TO ${app_role};

-- A run: waiting for its record's lease, running, or ended (succeeded, failed, cancelled); or, when its trigger came
-- while another run held the record, rejected or merged into that run, by the rule's policy. trigger_key makes a
-- repeated trigger find its first run.
CREATE TABLE orchestration.runs (
    tenant_id        uuid        NOT NULL REFERENCES tenancy.tenants (id),
    id               uuid        NOT NULL,
    workflow_id      uuid        NOT NULL,
    workflow_version integer     NOT NULL,
    record_id        uuid,
    rule_id          uuid,
    rule_version     integer,
    on_locked        text        NOT NULL CHECK (on_locked IN ('wait', 'merge', 'reject')),
    trigger          jsonb       NOT NULL,
    trigger_key      text,
    state            text        NOT NULL CHECK (state IN ('waiting', 'running', 'succeeded', 'failed',
                                                           'cancelled', 'rejected', 'merged')),
    merged_into      uuid,
    context          jsonb,
    context_key      text,
    error            text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    started_at       timestamptz,
    finished_at      timestamptz,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, workflow_id, workflow_version)
        REFERENCES orchestration.definition_versions (tenant_id, definition_id, version)
);
ALTER TABLE orchestration.runs ENABLE ROW LEVEL SECURITY;
ALTER TABLE orchestration.runs FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON orchestration.runs
    USING (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid));
CREATE UNIQUE INDEX runs_trigger_key ON orchestration.runs (tenant_id, trigger_key);
CREATE INDEX runs_recent ON orchestration.runs (tenant_id, created_at DESC);
CREATE INDEX runs_by_record ON orchestration.runs (tenant_id, record_id, created_at) WHERE record_id IS NOT NULL;
GRANT SELECT, INSERT, UPDATE ON orchestration.runs TO ${app_role};

CREATE TABLE orchestration.run_nodes (
    tenant_id   uuid        NOT NULL,
    run_id      uuid        NOT NULL,
    node        text        NOT NULL,
    kind        text        NOT NULL,
    label       text,
    state       text        NOT NULL CHECK (state IN ('pending', 'queued', 'running', 'waiting', 'succeeded',
                                                      'failed', 'skipped', 'cancelled')),
    attempts    integer     NOT NULL DEFAULT 0,
    output      jsonb,
    error       text,
    wake_at     timestamptz,
    started_at  timestamptz,
    finished_at timestamptz,
    PRIMARY KEY (tenant_id, run_id, node),
    FOREIGN KEY (tenant_id, run_id) REFERENCES orchestration.runs (tenant_id, id)
);
ALTER TABLE orchestration.run_nodes ENABLE ROW LEVEL SECURITY;
ALTER TABLE orchestration.run_nodes FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON orchestration.run_nodes
    USING (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid));
GRANT SELECT, INSERT, UPDATE ON orchestration.run_nodes TO ${app_role};

-- The lease a run holds on the record it works on, from its start to its end.
CREATE TABLE orchestration.record_leases (
    tenant_id   uuid        NOT NULL,
    record_id   uuid        NOT NULL,
    run_id      uuid        NOT NULL,
    acquired_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, record_id),
    FOREIGN KEY (tenant_id, run_id) REFERENCES orchestration.runs (tenant_id, id)
);
ALTER TABLE orchestration.record_leases ENABLE ROW LEVEL SECURITY;
ALTER TABLE orchestration.record_leases FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON orchestration.record_leases
    USING (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid));
GRANT SELECT, INSERT, DELETE ON orchestration.record_leases TO ${app_role};

-- An action the supervisor may not commit alone: a low-confidence or risky proposal, an outbound message, a batch
-- whose record changed under it, or a workflow's approval node.
CREATE TABLE orchestration.approvals (
    tenant_id   uuid          NOT NULL,
    id          uuid          NOT NULL,
    run_id      uuid          NOT NULL,
    node        text          NOT NULL,
    record_id   uuid,
    agent_id    uuid,
    action      jsonb         NOT NULL,
    confidence  numeric(4, 3),
    reasoning   text,
    reason      text          NOT NULL CHECK (reason IN ('low-confidence', 'risky', 'outbound', 'stale',
                                                         'approval-node')),
    state       text          NOT NULL CHECK (state IN ('pending', 'approved', 'denied', 'expired', 'cancelled')),
    expires_at  timestamptz   NOT NULL,
    created_at  timestamptz   NOT NULL DEFAULT now(),
    decided_at  timestamptz,
    decided_by  text,
    comment     text,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, run_id) REFERENCES orchestration.runs (tenant_id, id)
);
ALTER TABLE orchestration.approvals ENABLE ROW LEVEL SECURITY;
ALTER TABLE orchestration.approvals FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON orchestration.approvals
    USING (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid));
CREATE INDEX approvals_by_state ON orchestration.approvals (tenant_id, state, created_at);
CREATE INDEX approvals_by_run ON orchestration.approvals (tenant_id, run_id, node);
GRANT SELECT, INSERT, UPDATE ON orchestration.approvals TO ${app_role};

-- Approved outbound messages, for the channel that delivers them.
CREATE TABLE orchestration.outbox (
    tenant_id   uuid        NOT NULL,
    id          uuid        NOT NULL,
    approval_id uuid        NOT NULL,
    channel     text        NOT NULL,
    message     jsonb       NOT NULL,
    state       text        NOT NULL DEFAULT 'approved' CHECK (state IN ('approved', 'sent', 'failed')),
    created_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, approval_id),
    FOREIGN KEY (tenant_id, approval_id) REFERENCES orchestration.approvals (tenant_id, id)
);
ALTER TABLE orchestration.outbox ENABLE ROW LEVEL SECURITY;
ALTER TABLE orchestration.outbox FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON orchestration.outbox
    USING (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid));
GRANT SELECT, INSERT, UPDATE ON orchestration.outbox TO ${app_role};

-- How the tenant's supervisor decides: which capabilities win a conflict (first wins), below which confidence a
-- proposal waits for a person, and how long an approval waits before it expires.
CREATE TABLE orchestration.policies (
    tenant_id            uuid         NOT NULL REFERENCES tenancy.tenants (id),
    conflict_ranks       jsonb        NOT NULL CHECK (jsonb_typeof(conflict_ranks) = 'array'),
    confidence_threshold numeric(4, 3) NOT NULL CHECK (confidence_threshold BETWEEN 0 AND 1),
    approval_ttl_seconds integer      NOT NULL CHECK (approval_ttl_seconds > 0),
    updated_at           timestamptz  NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id)
);
ALTER TABLE orchestration.policies ENABLE ROW LEVEL SECURITY;
ALTER TABLE orchestration.policies FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON orchestration.policies
    USING (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid));
GRANT SELECT, INSERT, UPDATE ON orchestration.policies TO ${app_role};
