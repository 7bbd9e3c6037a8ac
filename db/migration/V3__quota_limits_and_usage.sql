-- Quota: the constraint engine's data. Limits are data, per tenant and subject; usage holds the live counters the
-- dispatcher checks and moves, under row locks, before it hands a job to a worker.
--
-- Subjects: 'tenant' (the tenant as a whole: concurrency, requests per minute, monthly budget), 'agent:<uuid>'
-- (concurrency, requests per minute), 'provider:<account>' (requests and tokens per minute) and
-- 'channel:<account>' (sends per day). A NULL limit means the platform default for that subject, which may be none.
-- Concurrency is not a counter here: it is the number of the subject's running jobs, counted under the same lock.

CREATE SCHEMA quota;
GRANT USAGE ON SCHEMA quota TO ${app_role}, ${platform_role};

CREATE TABLE quota.limits (
    tenant_id         uuid          NOT NULL REFERENCES tenancy.tenants (id),
    subject           text          NOT NULL
        CHECK (subject ~ '^(tenant|agent:[0-9a-f-]{36}|(provider|channel):[a-z0-9][a-z0-9._-]{0,62})$'),
    concurrency       integer       CHECK (concurrency > 0),
    per_minute        integer       CHECK (per_minute > 0),
    tokens_per_minute integer       CHECK (tokens_per_minute > 0),
    per_day           integer       CHECK (per_day >= 0),
    channel_type      text          CHECK (channel_type IN ('gmail', 'o365', 'smtp')),
    monthly_budget    numeric(14, 2) CHECK (monthly_budget >= 0),
    updated_at        timestamptz   NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, subject)
);
ALTER TABLE quota.limits ENABLE ROW LEVEL SECURITY;
ALTER TABLE quota.limits FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON quota.limits
    USING (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid));
CREATE POLICY platform_path ON quota.limits FOR SELECT TO ${platform_role} USING (true);
GRANT SELECT, INSERT, UPDATE, DELETE ON quota.limits TO ${app_role};
GRANT SELECT ON quota.limits TO ${platform_role};

-- Rates are token buckets: a bucket holds up to one minute's allowance and refills continuously; a NULL level is a
-- full bucket. Daily caps count per UTC day, budgets per UTC month (the spend is recorded by metering).
CREATE TABLE quota.usage (
    tenant_id     uuid           NOT NULL REFERENCES tenancy.tenants (id),
    subject       text           NOT NULL,
    request_level float8,
    request_at    timestamptz,
    token_level   float8,
    token_at      timestamptz,
    day           date,
    day_used      integer        NOT NULL DEFAULT 0,
    month         date,
    month_spent   numeric(18, 8) NOT NULL DEFAULT 0,
    PRIMARY KEY (tenant_id, subject)
);
ALTER TABLE quota.usage ENABLE ROW LEVEL SECURITY;
ALTER TABLE quota.usage FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON quota.usage
    USING (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid));
CREATE POLICY platform_path ON quota.usage TO ${platform_role} USING (true) WITH CHECK (true);
GRANT SELECT ON quota.usage TO ${app_role};
GRANT SELECT, INSERT, UPDATE ON quota.usage TO ${platform_role};

-- Admission serves Steward's dispatchers, never a tenant's request.
CREATE FUNCTION quota.require_system() RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF coalesce(current_setting('app.principal', true), '') NOT LIKE 'system:%' THEN
        RAISE EXCEPTION 'quota admission is for Steward''s dispatchers only' USING ERRCODE = 'insufficient_privilege';
    END IF;
END;
$$;

-- Locks the usage rows of these (tenant, subject) pairs, creating missing ones, and returns them with their limits
-- and the database clock. The rows stay locked until the caller's transaction ends, so admissions of the same
-- subject on any node take turns and every counter stays exact. Locks are taken in key order: no deadlocks.
CREATE FUNCTION quota.lock_usage(p_tenants uuid[], p_subjects text[])
    RETURNS TABLE (tenant_id uuid, subject text, concurrency integer, per_minute integer, tokens_per_minute integer,
                   per_day integer, channel_type text, monthly_budget numeric, request_level float8,
                   request_at timestamptz, token_level float8, token_at timestamptz, day date, day_used integer,
                   month date, month_spent numeric, now timestamptz)
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM quota.require_system();
    INSERT INTO quota.usage AS u (tenant_id, subject)
    SELECT k.tenant_id, k.subject FROM unnest(p_tenants, p_subjects) AS k (tenant_id, subject)
     ORDER BY k.tenant_id, k.subject
    ON CONFLICT ON CONSTRAINT usage_pkey DO NOTHING;
    RETURN QUERY
    SELECT u.tenant_id, u.subject, l.concurrency, l.per_minute, l.tokens_per_minute, l.per_day, l.channel_type,
           l.monthly_budget, u.request_level, u.request_at, u.token_level, u.token_at, u.day, u.day_used, u.month,
           u.month_spent, now()
      FROM quota.usage u
      JOIN unnest(p_tenants, p_subjects) AS k (tenant_id, subject)
        ON k.tenant_id = u.tenant_id AND k.subject = u.subject
      LEFT JOIN quota.limits l ON l.tenant_id = u.tenant_id AND l.subject = u.subject
     ORDER BY u.tenant_id, u.subject
       FOR UPDATE OF u;
END;
$$;

-- Writes back the counters an admission moved (rows the caller locked with lock_usage).
CREATE FUNCTION quota.save_usage(p_tenants uuid[], p_subjects text[], p_request_levels float8[],
                                 p_request_ats timestamptz[], p_token_levels float8[], p_token_ats timestamptz[],
                                 p_days date[], p_days_used integer[])
    RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM quota.require_system();
    UPDATE quota.usage u
       SET request_level = s.request_level, request_at = s.request_at, token_level = s.token_level,
           token_at = s.token_at, day = s.day, day_used = s.day_used
      FROM unnest(p_tenants, p_subjects, p_request_levels, p_request_ats, p_token_levels, p_token_ats, p_days,
                  p_days_used) AS s (tenant_id, subject, request_level, request_at, token_level, token_at, day,
                                     day_used)
     WHERE u.tenant_id = s.tenant_id AND u.subject = s.subject;
END;
$$;

REVOKE ALL ON FUNCTION quota.require_system() FROM PUBLIC;
REVOKE ALL ON FUNCTION quota.lock_usage(uuid[], text[]) FROM PUBLIC;
REVOKE ALL ON FUNCTION quota.save_usage(uuid[], text[], float8[], timestamptz[], float8[], timestamptz[], date[],
                                        integer[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION quota.lock_usage(uuid[], text[]) TO ${app_role};
GRANT EXECUTE ON FUNCTION quota.save_usage(uuid[], text[], float8[], timestamptz[], float8[], timestamptz[], date[],
                                           integer[]) TO ${app_role};

GRANT CREATE ON SCHEMA quota TO ${platform_role};
ALTER FUNCTION quota.require_system() OWNER TO ${platform_role};
ALTER FUNCTION quota.lock_usage(uuid[], text[]) OWNER TO ${platform_role};
ALTER FUNCTION quota.save_usage(uuid[], text[], float8[], timestamptz[], float8[], timestamptz[], date[], integer[])
    OWNER TO ${platform_role};
REVOKE CREATE ON SCHEMA quota FROM ${platform_role};
