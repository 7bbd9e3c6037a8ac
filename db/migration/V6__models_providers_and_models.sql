-- Models: a tenant's model provider accounts and the models it prices on them. Credentials are stored encrypted
-- (AES-256-GCM under a key derived from STEWARD_MASTER_KEY, bound to the tenant and account) and never returned.
-- The built-in model steward-scripted needs no row: every tenant has it.

CREATE SCHEMA models;
GRANT USAGE ON SCHEMA models TO ${app_role};

CREATE TABLE models.providers (
    tenant_id   uuid        NOT NULL REFERENCES tenancy.tenants (id),
    id          uuid        NOT NULL,
    name        text        NOT NULL CHECK (name ~ '^[a-z0-9][a-z0-9._-]{0,62}$'),
    type        text        NOT NULL CHECK (type IN ('openai', 'openai-compatible', 'anthropic', 'azure-openai',
                                                     'gemini', 'bedrock', 'ollama')),
    base_url    text,
    settings    jsonb       NOT NULL DEFAULT '{}',
    credentials bytea,
    credential_names text[] NOT NULL DEFAULT '{}',
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, name)
);
ALTER TABLE models.providers ENABLE ROW LEVEL SECURITY;
ALTER TABLE models.providers FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON models.providers
    USING (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid));
GRANT SELECT, INSERT, UPDATE, DELETE ON models.providers TO ${app_role};

-- Prices are per million tokens, in the installation's currency.
CREATE TABLE models.models (
    tenant_id          uuid           NOT NULL,
    id                 uuid           NOT NULL,
    name               text           NOT NULL CHECK (name ~ '^[a-z0-9][a-z0-9._:-]{0,99}$'
                                                      AND name <> 'steward-scripted'),
    provider_id        uuid           NOT NULL,
    provider_model     text           NOT NULL CHECK (length(provider_model) BETWEEN 1 AND 200),
    input_price        numeric(12, 4) NOT NULL CHECK (input_price >= 0),
    output_price       numeric(12, 4) NOT NULL CHECK (output_price >= 0),
    cached_input_price numeric(12, 4) CHECK (cached_input_price >= 0),
    created_at         timestamptz    NOT NULL DEFAULT now(),
    PRIMARY KEY (tenant_id, id),
    UNIQUE (tenant_id, name),
    FOREIGN KEY (tenant_id, provider_id) REFERENCES models.providers (tenant_id, id)
);
ALTER TABLE models.models ENABLE ROW LEVEL SECURITY;
ALTER TABLE models.models FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON models.models
    USING (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid));
GRANT SELECT, INSERT, UPDATE, DELETE ON models.models TO ${app_role};
