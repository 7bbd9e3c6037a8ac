-- Voice turns: the audio a turn was asked with (kept until it is transcribed: the transcription job reads it) and
-- the audio it answered with. One row per voice turn, beside its sessions.turns row: the turn's input becomes the
-- transcript, its answer the text that was spoken. Deleted with its turn (eviction deletes turns; the cascade runs
-- as the table's owner, so the platform role needs no grant here).

CREATE TABLE sessions.voice_turns (
    tenant_id           uuid        NOT NULL,
    turn_id             uuid        NOT NULL,
    session_id          uuid        NOT NULL,
    input_audio         bytea,
    input_type          text        NOT NULL,
    input_bytes         integer     NOT NULL CHECK (input_bytes > 0),
    transcription_model text,
    speech_model        text,
    output_audio        bytea,
    output_type         text,
    speech_error        text,
    created_at          timestamptz NOT NULL DEFAULT now(),
    spoken_at           timestamptz,
    PRIMARY KEY (tenant_id, turn_id),
    FOREIGN KEY (tenant_id, turn_id) REFERENCES sessions.turns (tenant_id, id) ON DELETE CASCADE
);
-- Audio is already compressed (or, for tone WAVs, not worth the CPU): stored as is, out of line.
ALTER TABLE sessions.voice_turns ALTER COLUMN input_audio SET STORAGE EXTERNAL;
ALTER TABLE sessions.voice_turns ALTER COLUMN output_audio SET STORAGE EXTERNAL;
ALTER TABLE sessions.voice_turns ENABLE ROW LEVEL SECURITY;
ALTER TABLE sessions.voice_turns FORCE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON sessions.voice_turns
    USING (tenant_id = (SELECT nullif(current_setting('app.tenant_id', true), '')::uuid));
GRANT SELECT, INSERT, UPDATE ON sessions.voice_turns TO ${app_role};
