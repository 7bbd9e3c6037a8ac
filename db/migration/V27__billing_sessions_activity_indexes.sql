-- The admin UI's activity pages: a session's cost sums its usage events (found by session, not by scanning the
-- tenant's whole usage), and a tenant's sessions are listed newest first, a page at a time.
CREATE INDEX usage_events_by_session ON billing.usage_events (tenant_id, session_id) WHERE session_id IS NOT NULL;
CREATE INDEX sessions_recent ON sessions.sessions (tenant_id, created_at DESC);
