-- Sessions: a conversation with one agent version. Each turn is a state machine persisted at every transition
-- (TurnState.java names the legal moves); events are what clients stream over SSE, numbered per session so a
-- client that reconnects with Last-Event-ID gets exactly what it missed. The session row keeps the event counter:
-- writers take its row lock, so event numbers commit in order and a reader never skips one that commits late.
-- Eviction (an idle session past its TTL) deletes turns, events and confirmations and keeps the session row, with
-- its totals, as the summary for audit and cost.

CREATE SCHEMA sessions;
GRANT USAGE ON SCHEMA sessions TO ${app_role}, ${platform_role};

CREATE TABLE sessions.sessions (
    tenant_id        uuid           NOT NULL REFERENCES tenancy.tenants (id),
    id               uuid           NOT NULL,
    agent_id         uuid           NOT NULL,
    agent_version    integer        NOT NULL CHECK (agent_version >= 1),
    state            text           NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'ended', 'evicted')),
    agent_state      jsonb          NOT NULL DEFAULT '{}',
    idle_ttl_seconds integer        NOT NULL CHECK (idle_ttl_seconds > 0),
    created_at       timestamptz    NOT NULL DEFAULT now(),
    last_activity_at timestamptz    NOT NULL DEFAULT now(),
    expires_at       timestamptz    NOT NULL,
    ended_at         timestamptz,
    last_event_seq   bigint         NOT NULL DEFAULT 0,
    turn_count       integer        NOT NULL DEFAULT 0,
    input_tokens     bigint         NOT NULL DEFAULT 0,
    output_tokens    bigint         NOT NULL DEFAULT 0,
    cost             numeric(16, 8) NOT NULL DEFAULT 0,
    version          bigint         NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant_id, id)
);
ALTER TABLE sessions.sessions ENABLE ROW LEVEL SECURITY;
ALTER TABLE sessions.sessions FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON sessions.sessions
    USING (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid));
CREATE INDEX sessions_by_agent ON sessions.sessions (tenant_id, agent_id, created_at);
-- The eviction pass looks across tenants for active sessions past their time.
CREATE INDEX sessions_expiring ON sessions.sessions (expires_at) WHERE state <> 'evicted';
GRANT SELECT, INSERT, UPDATE ON sessions.sessions TO ${app_role};

CREATE TABLE sessions.turns (
    tenant_id   uuid        NOT NULL,
    id          uuid        NOT NULL,
    session_id  uuid        NOT NULL,
    number      integer     NOT NULL CHECK (number >= 1),
    input       text        NOT NULL,
    state       text        NOT NULL,
    answer      text,
    error       text,
    -- The turn's working conversation after the user's input: the model's tool calls and their results, so a turn
    -- that waits for a confirmation or a long job resumes where it stopped.
    steps       jsonb       NOT NULL DEFAULT '[]',
    -- What the turn waits for: a tool call to confirm or a pending job to poll.
    waiting_for jsonb,
    model_ms    bigint      NOT NULL DEFAULT 0,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    finished_at timestamptz,
    version     bigint      NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, session_id, number),
    FOREIGN KEY (tenant_id, session_id) REFERENCES sessions.sessions (tenant_id, id)
);
ALTER TABLE sessions.turns ENABLE ROW LEVEL SECURITY;
ALTER TABLE sessions.turns FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON sessions.turns
    USING (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid));
GRANT SELECT, INSERT, UPDATE ON sessions.turns TO ${app_role};

CREATE TABLE sessions.events (
    tenant_id  uuid        NOT NULL,
    session_id uuid        NOT NULL,
    seq        bigint      NOT NULL CHECK (seq >= 1),
    turn_id    uuid,
    type       text        NOT NULL,
    data       jsonb       NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, session_id, seq),
    FOREIGN KEY (tenant_id, session_id) REFERENCES sessions.sessions (tenant_id, id)
);
ALTER TABLE sessions.events ENABLE ROW LEVEL SECURITY;
ALTER TABLE sessions.events FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON sessions.events
    USING (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid));
-- Events are facts; only eviction removes them.
GRANT SELECT, INSERT ON sessions.events TO ${app_role};

CREATE TABLE sessions.confirmations (
    tenant_id  uuid        NOT NULL,
    id         uuid        NOT NULL,
    session_id uuid        NOT NULL,
    turn_id    uuid        NOT NULL,
    call_id    text        NOT NULL,
    tool       text        NOT NULL,
    arguments  jsonb       NOT NULL,
    state      text        NOT NULL DEFAULT 'pending'
                           CHECK (state IN ('pending', 'approved', 'denied', 'expired')),
    comment    text,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    decided_at timestamptz,
    decided_by text,
    PRIMARY KEY (tenant_id, id),
    FOREIGN KEY (tenant_id, turn_id) REFERENCES sessions.turns (tenant_id, id)
);
ALTER TABLE sessions.confirmations ENABLE ROW LEVEL SECURITY;
ALTER TABLE sessions.confirmations FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON sessions.confirmations
    USING (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid));
CREATE INDEX confirmations_by_session ON sessions.confirmations (tenant_id, session_id);
CREATE INDEX confirmations_expiring ON sessions.confirmations (expires_at) WHERE state = 'pending';
GRANT SELECT, INSERT, UPDATE ON sessions.confirmations TO ${app_role};

-- The sweep crosses tenants through the functions below, owned by ${platform_role}, never by turning RLS off.
CREATE POLICY platform_path ON sessions.sessions TO ${platform_role} USING (true) WITH CHECK (true);
CREATE POLICY platform_path ON sessions.turns TO ${platform_role} USING (true) WITH CHECK (true);
CREATE POLICY platform_path ON sessions.events TO ${platform_role} USING (true) WITH CHECK (true);
CREATE POLICY platform_path ON sessions.confirmations TO ${platform_role} USING (true) WITH CHECK (true);
GRANT SELECT, UPDATE ON sessions.sessions TO ${platform_role};
GRANT SELECT, DELETE ON sessions.turns, sessions.events TO ${platform_role};
GRANT SELECT, UPDATE, DELETE ON sessions.confirmations TO ${platform_role};

-- Session functions serve Steward's own timers, never a tenant's request.
CREATE FUNCTION sessions.require_system() RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF coalesce(current_setting('app.principal', true), '') NOT LIKE 'system:%' THEN
        RAISE EXCEPTION 'session functions are for Steward''s timers only'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
END;
$$;

-- Evicts up to p_limit sessions (active or ended) idle past their TTL and with no turn at work, across tenants: the
-- session row stays (state evicted, with its totals) and its turns, events and confirmations go. Returns how many
-- were evicted. A session being written to is skipped (SKIP LOCKED) and taken by a later pass if still idle then.
CREATE FUNCTION sessions.evict_expired(p_limit integer) RETURNS integer
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_count integer;
BEGIN
    PERFORM sessions.require_system();
    -- One statement: the foreign keys are checked at its end, when confirmations, events and turns are all gone.
    WITH picked AS (
        SELECT s.tenant_id, s.id FROM sessions.sessions s
         WHERE s.state <> 'evicted' AND s.expires_at < now()
           -- A turn still at work (polling a long job, waiting for approval) keeps its session.
           AND NOT EXISTS (SELECT 1 FROM sessions.turns t WHERE t.tenant_id = s.tenant_id AND t.session_id = s.id
                            AND t.state NOT IN ('done', 'failed'))
         ORDER BY s.expires_at LIMIT p_limit
         FOR UPDATE OF s SKIP LOCKED
    ), confirmations AS (
        DELETE FROM sessions.confirmations c USING picked p WHERE c.tenant_id = p.tenant_id AND c.session_id = p.id
    ), events AS (
        DELETE FROM sessions.events v USING picked p WHERE v.tenant_id = p.tenant_id AND v.session_id = p.id
    ), turns AS (
        DELETE FROM sessions.turns t USING picked p WHERE t.tenant_id = p.tenant_id AND t.session_id = p.id
    )
    UPDATE sessions.sessions s SET state = 'evicted', ended_at = coalesce(s.ended_at, now()), agent_state = '{}',
           version = s.version + 1
      FROM picked p WHERE s.tenant_id = p.tenant_id AND s.id = p.id;
    GET DIAGNOSTICS v_count = ROW_COUNT;
    RETURN v_count;
END;
$$;

-- Pending confirmations past their time, across tenants, marked expired; returns them so their turns resume.
CREATE FUNCTION sessions.expire_confirmations(p_limit integer)
    RETURNS TABLE (tenant_id uuid, session_id uuid, turn_id uuid, confirmation_id uuid)
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM sessions.require_system();
    RETURN QUERY
    WITH due AS (
        SELECT c.tenant_id, c.id FROM sessions.confirmations c
         WHERE c.state = 'pending' AND c.expires_at < now()
         ORDER BY c.expires_at LIMIT p_limit
         FOR UPDATE SKIP LOCKED
    )
    UPDATE sessions.confirmations c SET state = 'expired', decided_at = now(), decided_by = 'system:expiry'
      FROM due d WHERE c.tenant_id = d.tenant_id AND c.id = d.id
    RETURNING c.tenant_id, c.session_id, c.turn_id, c.id;
END;
$$;

REVOKE ALL ON FUNCTION sessions.require_system() FROM PUBLIC;
REVOKE ALL ON FUNCTION sessions.evict_expired(integer) FROM PUBLIC;
REVOKE ALL ON FUNCTION sessions.expire_confirmations(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION sessions.evict_expired(integer) TO ${app_role};
GRANT EXECUTE ON FUNCTION sessions.expire_confirmations(integer) TO ${app_role};

GRANT CREATE ON SCHEMA sessions TO ${platform_role};
ALTER FUNCTION sessions.require_system() OWNER TO ${platform_role};
ALTER FUNCTION sessions.evict_expired(integer) OWNER TO ${platform_role};
ALTER FUNCTION sessions.expire_confirmations(integer) OWNER TO ${platform_role};
REVOKE CREATE ON SCHEMA sessions FROM ${platform_role};
