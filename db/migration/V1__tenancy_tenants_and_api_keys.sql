-- Tenancy: tenants, their API keys, and the named cross-tenant path.
--
-- Row-level security is the isolation boundary. Every tenant table has RLS enabled AND forced, and one policy
-- for reads and writes keyed on the transaction-local setting app.tenant_id, which Steward sets as the first
-- statement of every transaction (TenantBoundConnectionProvider). With no tenant set, no tenant row is visible.
--
-- Work that must cross tenants (authentication by key prefix, the operator's tenant list) does not turn RLS
-- off: it calls the SECURITY DEFINER functions below, owned by the NOLOGIN role ${platform_role}, whose own
-- policies grant exactly the access those functions need. Operator calls leave a row in platform_access_log.

CREATE SCHEMA tenancy;
GRANT USAGE ON SCHEMA tenancy TO ${app_role}, ${platform_role};

CREATE TABLE tenancy.tenants (
    id         uuid        PRIMARY KEY,
    slug       text        NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$'),
    name       text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    status     text        NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'suspended')),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE tenancy.tenants ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenancy.tenants FORCE ROW LEVEL SECURITY;
-- The tenant row is the tenant's own: keyed on id rather than tenant_id.
CREATE POLICY tenant_isolation ON tenancy.tenants
    USING (id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid));
CREATE POLICY platform_path ON tenancy.tenants FOR SELECT TO ${platform_role} USING (true);
GRANT SELECT, INSERT, UPDATE ON tenancy.tenants TO ${app_role};
GRANT SELECT ON tenancy.tenants TO ${platform_role};

CREATE TABLE tenancy.api_keys (
    tenant_id    uuid        NOT NULL REFERENCES tenancy.tenants (id),
    id           uuid        NOT NULL,
    name         text        NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    -- The visible part of the key; globally unique because authentication looks a key up by it.
    prefix       text        NOT NULL UNIQUE,
    -- HMAC-SHA256 of the secret part under a key derived from STEWARD_MASTER_KEY; the secret itself is never stored.
    secret_hash  bytea       NOT NULL,
    scopes       text[]      NOT NULL CHECK (cardinality(scopes) > 0),
    created_at   timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz,
    revoked_at   timestamptz,
    PRIMARY KEY (tenant_id, id)
);
ALTER TABLE tenancy.api_keys ENABLE ROW LEVEL SECURITY;
ALTER TABLE tenancy.api_keys FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tenancy.api_keys
    USING (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid));
CREATE POLICY platform_path ON tenancy.api_keys TO ${platform_role} USING (true) WITH CHECK (true);
CREATE INDEX api_keys_tenant_created ON tenancy.api_keys (tenant_id, created_at, id);
-- For the operator's revocation by key id alone (platform_find_api_key_tenant).
CREATE INDEX api_keys_id ON tenancy.api_keys (id);
GRANT SELECT, INSERT, UPDATE ON tenancy.api_keys TO ${app_role};
GRANT SELECT, UPDATE (last_used_at) ON tenancy.api_keys TO ${platform_role};

-- Platform data, not tenant data: which cross-tenant operation ran, for whom, in which request.
CREATE TABLE tenancy.platform_access_log (
    id         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at         timestamptz NOT NULL DEFAULT now(),
    operation  text        NOT NULL,
    target     text,
    principal  text        NOT NULL,
    request_id text
);
GRANT INSERT ON tenancy.platform_access_log TO ${platform_role};

-- Records an operator's cross-tenant call, and refuses it when the transaction does not act for the operator
-- (or Steward itself): the API's authentication decides who is the operator, and this checks it again.
CREATE FUNCTION tenancy.note_platform_access(p_operation text, p_target text) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_principal text := coalesce(nullif(current_setting('app.principal', true), ''), 'unknown');
BEGIN
    IF v_principal NOT LIKE 'operator:%' AND v_principal NOT LIKE 'system:%' THEN
        RAISE EXCEPTION 'platform operation % refused for principal %', p_operation, v_principal
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    INSERT INTO tenancy.platform_access_log (operation, target, principal, request_id)
    VALUES (p_operation, p_target, v_principal, nullif(current_setting('app.request_id', true), ''));
END;
$$;

-- Authentication: the one cross-tenant read that every request needs, keyed by the secret's prefix and hash,
-- so it can find nothing but the caller's own key. Touches last_used_at at most once a minute per key.
CREATE FUNCTION tenancy.authenticate_api_key(p_prefix text, p_secret_hash bytea)
    RETURNS TABLE (key_id uuid, tenant_id uuid, scopes text[], tenant_status text)
    LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
    WITH hit AS (
        SELECT k.tenant_id, k.id, k.scopes, t.status
        FROM tenancy.api_keys k
        JOIN tenancy.tenants t ON t.id = k.tenant_id
        WHERE k.prefix = p_prefix AND k.secret_hash = p_secret_hash AND k.revoked_at IS NULL
    ), touched AS (
        UPDATE tenancy.api_keys k SET last_used_at = now()
        FROM hit
        WHERE k.tenant_id = hit.tenant_id AND k.id = hit.id
          AND (k.last_used_at IS NULL OR k.last_used_at < now() - interval '1 minute')
    )
    SELECT hit.id, hit.tenant_id, hit.scopes, hit.status FROM hit;
$$;

CREATE FUNCTION tenancy.platform_list_tenants() RETURNS SETOF tenancy.tenants
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM tenancy.note_platform_access('list_tenants', NULL);
    RETURN QUERY SELECT * FROM tenancy.tenants ORDER BY created_at, id;
END;
$$;

CREATE FUNCTION tenancy.platform_find_api_key_tenant(p_key_id uuid) RETURNS uuid
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM tenancy.note_platform_access('find_api_key_tenant', 'api_key:' || p_key_id);
    RETURN (SELECT tenant_id FROM tenancy.api_keys WHERE id = p_key_id);
END;
$$;

-- Privileges first: once the functions belong to the platform role, the owner role can no longer grant them.
-- Functions are executable by PUBLIC by default; these are executable by the application role alone.
REVOKE ALL ON FUNCTION tenancy.note_platform_access(text, text) FROM PUBLIC;
REVOKE ALL ON FUNCTION tenancy.authenticate_api_key(text, bytea) FROM PUBLIC;
REVOKE ALL ON FUNCTION tenancy.platform_list_tenants() FROM PUBLIC;
REVOKE ALL ON FUNCTION tenancy.platform_find_api_key_tenant(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION tenancy.authenticate_api_key(text, bytea) TO ${app_role};
GRANT EXECUTE ON FUNCTION tenancy.platform_list_tenants() TO ${app_role};
GRANT EXECUTE ON FUNCTION tenancy.platform_find_api_key_tenant(uuid) TO ${app_role};

-- Handing the functions over requires the new owner to hold CREATE on the schema; it keeps it no longer.
GRANT CREATE ON SCHEMA tenancy TO ${platform_role};
ALTER FUNCTION tenancy.note_platform_access(text, text) OWNER TO ${platform_role};
ALTER FUNCTION tenancy.authenticate_api_key(text, bytea) OWNER TO ${platform_role};
ALTER FUNCTION tenancy.platform_list_tenants() OWNER TO ${platform_role};
ALTER FUNCTION tenancy.platform_find_api_key_tenant(uuid) OWNER TO ${platform_role};
REVOKE CREATE ON SCHEMA tenancy FROM ${platform_role};
