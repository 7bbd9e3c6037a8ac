package dev.steward.sessions.internal;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.UUID;

/**
 * The audio side of a voice turn: what it was asked with (dropped once transcribed: the transcript is the turn's
 * input from then on), the models that heard and spoke it, and the audio it answered with, or why there is none.
 */
@Entity
@Table(schema = "sessions", name = "voice_turns")
class VoiceTurn {

    @Id
    @Column(name = "turn_id")
    private UUID turnId;

    @Column(name = "tenant_id", nullable = false, updatable = false)
    private UUID tenantId;

    @Column(name = "session_id", nullable = false, updatable = false)
    private UUID sessionId;

    @Column(name = "input_audio")
    private byte[] inputAudio;

    @Column(name = "input_type", nullable = false, updatable = false)
    private String inputType;

    @Column(name = "input_bytes", nullable = false, updatable = false)
    private int inputBytes;

    @Column(name = "transcription_model")
    private String transcriptionModel;

    @Column(name = "speech_model")
    private String speechModel;

    @Column(name = "output_audio")
    private byte[] outputAudio;

    @Column(name = "output_type")
    private String outputType;

    @Column(name = "speech_error")
    private String speechError;

    @Column(name = "created_at", nullable = false, updatable = false)
    private Instant createdAt;

    @Column(name = "spoken_at")
    private Instant spokenAt;

    protected VoiceTurn() {
    }

    VoiceTurn(Turn turn, UUID tenantId, byte[] audio, String mediaType, Instant now) {
        this.turnId = turn.id();
        this.tenantId = tenantId;
        this.sessionId = turn.sessionId();
        this.inputAudio = audio;
        this.inputType = mediaType;
        this.inputBytes = audio.length;
        this.createdAt = now;
    }

    void transcribed(String model) {
        transcriptionModel = model;
        inputAudio = null;
    }

    void spoken(String model, byte[] audio, String mediaType, Instant now) {
        speechModel = model;
        outputAudio = audio;
        outputType = mediaType;
        spokenAt = now;
    }

    void speechFailed(String model, String reason, Instant now) {
        speechModel = model;
        speechError = reason;
        spokenAt = now;
    }

    byte[] inputAudio() {
        return inputAudio;
    }

    String inputType() {
        return inputType;
    }

    int inputBytes() {
        return inputBytes;
    }
}
