-- Orchestration: routing rules that fire on a cron schedule, and workflow nodes that wait for an event.
--
-- A schedule row mirrors a live routing rule whose trigger is a schedule, with the next time it fires. A timer
-- (one node at a time) reads the due rows across tenants and fires each in its tenant's scope: moving next_fire_at
-- on only if it still holds the time read, so a time fires once however many nodes look.

CREATE TABLE orchestration.schedules (
    tenant_id     uuid        NOT NULL,
    rule_id       uuid        NOT NULL,
    cron          text        NOT NULL,
    timezone      text        NOT NULL,
    next_fire_at  timestamptz NOT NULL,
    last_fired_at timestamptz,
    PRIMARY KEY (tenant_id, rule_id),
    FOREIGN KEY (tenant_id, rule_id) REFERENCES orchestration.definitions (tenant_id, id)
);
ALTER TABLE orchestration.schedules ENABLE ROW LEVEL SECURITY;
ALTER TABLE orchestration.schedules FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON orchestration.schedules
    USING (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid));
CREATE INDEX schedules_due ON orchestration.schedules (next_fire_at);
GRANT SELECT, INSERT, UPDATE, DELETE ON orchestration.schedules TO ${app_role};

-- The event a waiting node waits for (a wait node with an event); null for every other node.
ALTER TABLE orchestration.run_nodes ADD COLUMN awaits_event text;
CREATE INDEX run_nodes_awaiting ON orchestration.run_nodes (tenant_id, awaits_event)
    WHERE awaits_event IS NOT NULL;

-- The timer crosses tenants through the function below, owned by ${platform_role}, never by turning RLS off.
GRANT USAGE ON SCHEMA orchestration TO ${platform_role};
CREATE POLICY platform_path ON orchestration.schedules TO ${platform_role} USING (true);
GRANT SELECT ON orchestration.schedules TO ${platform_role};

-- Schedules due by now, across tenants, earliest first: read only; each is fired in its own tenant's scope.
CREATE FUNCTION orchestration.due_schedules(p_limit integer)
    RETURNS TABLE (tenant_id uuid, rule_id uuid, next_fire_at timestamptz)
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF coalesce(current_setting('app.principal', true), '') NOT LIKE 'system:%' THEN
        RAISE EXCEPTION 'orchestration functions are for Steward''s timers only'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN QUERY
    SELECT s.tenant_id, s.rule_id, s.next_fire_at FROM orchestration.schedules s
     WHERE s.next_fire_at <= now()
     ORDER BY s.next_fire_at LIMIT p_limit;
END;
$$;

REVOKE ALL ON FUNCTION orchestration.due_schedules(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION orchestration.due_schedules(integer) TO ${app_role};
GRANT CREATE ON SCHEMA orchestration TO ${platform_role};
ALTER FUNCTION orchestration.due_schedules(integer) OWNER TO ${platform_role};
REVOKE CREATE ON SCHEMA orchestration FROM ${platform_role};
