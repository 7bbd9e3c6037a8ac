-- Tools: the email channel. A tenant's sending accounts (SMTP out, optionally IMAP in) with their password sealed by
-- the master key, and the messages that went out or came in through them. An account's name is the channel key the
-- constraint engine counts its daily cap under (channel:<name>).

CREATE TABLE tools.email_accounts (
    tenant_id      uuid        NOT NULL REFERENCES tenancy.tenants (id),
    id             uuid        NOT NULL,
    name           text        NOT NULL CHECK (name ~ '^[a-z0-9][a-z0-9._-]{0,62}$'),
    provider       text        NOT NULL CHECK (provider IN ('gmail', 'o365', 'smtp')),
    address        text        NOT NULL CHECK (length(address) BETWEEN 3 AND 320),
    display_name   text        CHECK (length(display_name) <= 200),
    username       text        NOT NULL CHECK (length(username) BETWEEN 1 AND 320),
    password       bytea,
    smtp_host      text        NOT NULL,
    smtp_port      integer     NOT NULL CHECK (smtp_port BETWEEN 1 AND 65535),
    smtp_security  text        NOT NULL CHECK (smtp_security IN ('none', 'starttls', 'tls')),
    imap_host      text,
    imap_port      integer     CHECK (imap_port BETWEEN 1 AND 65535),
    imap_security  text        CHECK (imap_security IN ('none', 'tls')),
    imap_folder    text,
    is_default     boolean     NOT NULL DEFAULT false,
    -- Inbound polling: the folder's UIDVALIDITY and the highest UID read under it; when the next poll is due.
    uid_validity   bigint,
    last_uid       bigint      NOT NULL DEFAULT 0,
    next_poll_at   timestamptz,
    last_polled_at timestamptz,
    last_error     text,
    created_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, name),
    CHECK ((imap_host IS NULL) = (imap_port IS NULL) AND (imap_host IS NULL) = (imap_security IS NULL))
);
CREATE UNIQUE INDEX email_accounts_one_default ON tools.email_accounts (tenant_id) WHERE is_default;
CREATE INDEX email_accounts_due ON tools.email_accounts (next_poll_at) WHERE imap_host IS NOT NULL;
ALTER TABLE tools.email_accounts ENABLE ROW LEVEL SECURITY;
ALTER TABLE tools.email_accounts FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tools.email_accounts
    USING (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid));
GRANT SELECT, INSERT, UPDATE, DELETE ON tools.email_accounts TO ${app_role};

-- Outbound: queued until the queue's email.send job delivers it (sent), gives up (failed) or a bounce comes back
-- (bounced). Inbound: received, or a bounce report that marked the message it names. A message outlives its
-- account (account_id is kept, not referenced), so the history stays readable.
CREATE TABLE tools.email_messages (
    tenant_id    uuid        NOT NULL REFERENCES tenancy.tenants (id),
    id           uuid        NOT NULL,
    account_id   uuid        NOT NULL,
    account      text        NOT NULL,
    direction    text        NOT NULL CHECK (direction IN ('out', 'in')),
    state        text        NOT NULL CHECK (state IN ('queued', 'sent', 'failed', 'bounced', 'received', 'bounce')),
    source       text        NOT NULL,
    sender       text        NOT NULL,
    recipients   text[]      NOT NULL,
    cc           text[]      NOT NULL DEFAULT '{}',
    subject      text        NOT NULL,
    body         text        NOT NULL,
    message_id   text,
    in_reply_to  text,
    attempts     integer     NOT NULL DEFAULT 0,
    last_error   text,
    uid_validity bigint,
    uid          bigint,
    created_at   timestamptz NOT NULL DEFAULT now(),
    finished_at  timestamptz,
    PRIMARY KEY (tenant_id, id),
    -- One message per cause: an API request's idempotency key, a tool call, an approval, a mailbox UID.
    UNIQUE (tenant_id, source)
);
CREATE INDEX email_messages_recent ON tools.email_messages (tenant_id, created_at DESC);
ALTER TABLE tools.email_messages ENABLE ROW LEVEL SECURITY;
ALTER TABLE tools.email_messages FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON tools.email_messages
    USING (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid));
GRANT SELECT, INSERT, UPDATE ON tools.email_messages TO ${app_role};

-- Inbound accounts whose poll is due, across tenants, earliest first: read only; each is polled in its tenant's
-- scope. The timer crosses tenants through this function, owned by ${platform_role}, never by turning RLS off.
GRANT USAGE ON SCHEMA tools TO ${platform_role};
CREATE POLICY platform_path ON tools.email_accounts TO ${platform_role} USING (true);
GRANT SELECT ON tools.email_accounts TO ${platform_role};
CREATE FUNCTION tools.due_email_polls(p_limit integer)
    RETURNS TABLE (tenant_id uuid, account_id uuid, next_poll_at timestamptz)
    LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$
BEGIN
    IF coalesce(current_setting('app.principal', true), '') NOT LIKE 'system:%' THEN
        RAISE EXCEPTION 'tools functions are for Steward''s timers only'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN QUERY
    SELECT a.tenant_id, a.id, a.next_poll_at FROM tools.email_accounts a
     WHERE a.imap_host IS NOT NULL AND a.next_poll_at <= now()
     ORDER BY a.next_poll_at LIMIT p_limit;
END;
$$;

REVOKE ALL ON FUNCTION tools.due_email_polls(integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION tools.due_email_polls(integer) TO ${app_role};
GRANT CREATE ON SCHEMA tools TO ${platform_role};
ALTER FUNCTION tools.due_email_polls(integer) OWNER TO ${platform_role};
REVOKE CREATE ON SCHEMA tools FROM ${platform_role};
