-- Agents: the bearer token a remote agent spoken to over A2A is called with, sealed by the master key (AES-256-GCM,
-- bound to tenant and agent) and never returned. It belongs to the agent, not to a version: versions are the
-- agent's configuration, content-addressed and shown in diffs, where a secret must not appear.
ALTER TABLE agents.agents ADD COLUMN remote_token bytea;
