-- Admin: the people who sign in to the admin UI. An operator runs the platform (no tenant); a tenant admin runs one
-- tenant; an analyst reads one tenant (or, with no tenant, all). Passwords are PBKDF2-SHA256 hashes, never the
-- password. Repeated failures lock an account for a while. Sign-in happens before anyone's tenant is known, so it
-- goes through the functions below (the named platform path), never through a wider policy for the application.

CREATE SCHEMA admin;
GRANT USAGE ON SCHEMA admin TO ${app_role}, ${platform_role};

CREATE TABLE admin.accounts (
    id                uuid        PRIMARY KEY,
    tenant_id         uuid        REFERENCES tenancy.tenants (id),
    email             text        NOT NULL CHECK (email = lower(email) AND length(email) BETWEEN 3 AND 320),
    password_hash     text        NOT NULL,
    role              text        NOT NULL CHECK (role IN ('operator', 'tenant-admin', 'analyst')),
    failed_attempts   integer     NOT NULL DEFAULT 0,
    locked_until      timestamptz,
    last_signed_in_at timestamptz,
    created_at        timestamptz NOT NULL DEFAULT now(),
    CHECK (role <> 'operator' OR tenant_id IS NULL),
    CHECK (role <> 'tenant-admin' OR tenant_id IS NOT NULL),
    UNIQUE (email)
);
CREATE INDEX accounts_by_tenant ON admin.accounts (tenant_id, email);
ALTER TABLE admin.accounts ENABLE ROW LEVEL SECURITY;
ALTER TABLE admin.accounts FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON admin.accounts
    USING (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid));
CREATE POLICY platform_path ON admin.accounts TO ${platform_role} USING (true) WITH CHECK (true);
GRANT SELECT ON admin.accounts TO ${app_role};
GRANT SELECT, INSERT, UPDATE ON admin.accounts TO ${platform_role};

-- Only Steward's own machinery (sign-in, start-up) and the operator may use the functions below.
CREATE FUNCTION admin.require_platform() RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_principal text := coalesce(current_setting('app.principal', true), '');
BEGIN
    IF v_principal NOT LIKE 'system:%' AND v_principal NOT LIKE 'operator:%' THEN
        RAISE EXCEPTION 'admin account functions are for Steward and its operator only'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
END;
$$;

-- The account an email signs in to, with its hash, to be checked by the caller.
CREATE FUNCTION admin.account_for_sign_in(p_email text)
    RETURNS TABLE (id uuid, tenant_id uuid, role text, password_hash text, locked_until timestamptz)
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM admin.require_platform();
    RETURN QUERY SELECT a.id, a.tenant_id, a.role, a.password_hash, a.locked_until
                   FROM admin.accounts a WHERE a.email = lower(p_email);
END;
$$;

-- A sign-in's outcome: success resets the failures; the p_max-th failure in a row locks the account for p_lock.
CREATE FUNCTION admin.record_sign_in(p_id uuid, p_succeeded boolean, p_max integer, p_lock interval)
    RETURNS timestamptz
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_locked timestamptz;
BEGIN
    PERFORM admin.require_platform();
    UPDATE admin.accounts a
       SET failed_attempts = CASE WHEN p_succeeded THEN 0
                                  WHEN a.failed_attempts + 1 >= p_max THEN 0 ELSE a.failed_attempts + 1 END,
           locked_until = CASE WHEN NOT p_succeeded AND a.failed_attempts + 1 >= p_max THEN now() + p_lock
                               ELSE a.locked_until END,
           last_signed_in_at = CASE WHEN p_succeeded THEN now() ELSE a.last_signed_in_at END
     WHERE a.id = p_id
    RETURNING a.locked_until INTO v_locked;
    RETURN v_locked;
END;
$$;

-- Creates an account, or replaces the password and role of the one with that email; its id.
CREATE FUNCTION admin.put_account(p_email text, p_hash text, p_role text, p_tenant uuid) RETURNS uuid
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
DECLARE
    v_id uuid;
BEGIN
    PERFORM admin.require_platform();
    INSERT INTO admin.accounts AS a (id, tenant_id, email, password_hash, role)
    VALUES (gen_random_uuid(), p_tenant, lower(p_email), p_hash, p_role)
    ON CONFLICT (email) DO UPDATE SET password_hash = excluded.password_hash, role = excluded.role,
                                      tenant_id = excluded.tenant_id, failed_attempts = 0, locked_until = NULL
    RETURNING a.id INTO v_id;
    RETURN v_id;
END;
$$;

-- Whether an account with that email exists (so a start-up does not replace a changed password).
CREATE FUNCTION admin.account_exists(p_email text) RETURNS boolean
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    PERFORM admin.require_platform();
    RETURN EXISTS (SELECT 1 FROM admin.accounts WHERE email = lower(p_email));
END;
$$;

REVOKE ALL ON FUNCTION admin.require_platform(), admin.account_for_sign_in(text),
    admin.record_sign_in(uuid, boolean, integer, interval), admin.put_account(text, text, text, uuid),
    admin.account_exists(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION admin.require_platform(), admin.account_for_sign_in(text),
    admin.record_sign_in(uuid, boolean, integer, interval), admin.put_account(text, text, text, uuid),
    admin.account_exists(text) TO ${app_role};
GRANT CREATE ON SCHEMA admin TO ${platform_role};
ALTER FUNCTION admin.require_platform() OWNER TO ${platform_role};
ALTER FUNCTION admin.account_for_sign_in(text) OWNER TO ${platform_role};
ALTER FUNCTION admin.record_sign_in(uuid, boolean, integer, interval) OWNER TO ${platform_role};
ALTER FUNCTION admin.put_account(text, text, text, uuid) OWNER TO ${platform_role};
ALTER FUNCTION admin.account_exists(text) OWNER TO ${platform_role};
REVOKE CREATE ON SCHEMA admin FROM ${platform_role};
