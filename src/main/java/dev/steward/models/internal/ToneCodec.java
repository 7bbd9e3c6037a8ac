package dev.steward.models.internal;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * The built-in model's voice: text as audible tones in a WAV, and back. It is a modem, not speech recognition: the
 * built-in model can transcribe exactly the audio its own speech produced (or anything made the same way), and says
 * plainly that it cannot transcribe anything else.
 *
 * <p>The format: 8 kHz mono 16-bit PCM. Each 10 ms symbol (80 samples) is one sine tone out of 16, at
 * {@code 1000 + 100·k} Hz for the 4-bit value k; every tone completes a whole number of cycles in a symbol, so the
 * tones are orthogonal and the receiver tells them apart by their energy (Goertzel) without synchronising phase.
 * A frame is the bytes {@code "ST"}, the payload length (2 bytes, big-endian), the UTF-8 payload, and the CRC-32 of
 * the payload (4 bytes), each byte sent high nibble first. Amplitude does not matter, so a louder or quieter copy
 * decodes the same; a damaged one fails its CRC.
 */
final class ToneCodec {

    static final int SAMPLE_RATE = 8000;
    static final int SAMPLES_PER_SYMBOL = 80;
    /** The most text the built-in voice speaks at once (about 82 s of audio, 1.3 MB). */
    static final int MAX_TEXT_BYTES = 4096;
    private static final byte[] MAGIC = {'S', 'T'};
    private static final double AMPLITUDE = 0.4 * Short.MAX_VALUE;
    /** The strongest tone must beat the next by this factor in energy, or the symbol is not one of ours. */
    private static final double DOMINANCE = 4.0;

    private ToneCodec() {
    }

    /** Audio that is not a tone frame, and why. */
    static final class NotToneAudio extends Exception {
        NotToneAudio(String why) {
            super(why);
        }
    }

    static byte[] encode(String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        if (payload.length > MAX_TEXT_BYTES) {
            throw new IllegalArgumentException("at most " + MAX_TEXT_BYTES + " bytes of text");
        }
        CRC32 crc = new CRC32();
        crc.update(payload);
        ByteBuffer frame = ByteBuffer.allocate(MAGIC.length + 2 + payload.length + 4);
        frame.put(MAGIC).putShort((short) payload.length).put(payload).putInt((int) crc.getValue());
        short[] samples = new short[frame.capacity() * 2 * SAMPLES_PER_SYMBOL];
        int symbol = 0;
        for (byte b : frame.array()) {
            tone(samples, symbol++, (b >> 4) & 0xF);
            tone(samples, symbol++, b & 0xF);
        }
        return Wav.write(new Wav.Pcm(SAMPLE_RATE, samples));
    }

    static String decode(byte[] wavFile) throws NotToneAudio {
        Wav.Result read = Wav.read(wavFile);
        if (read.pcm().isEmpty()) {
            throw new NotToneAudio(read.refusal());
        }
        Wav.Pcm pcm = read.pcm().get();
        if (pcm.sampleRate() != SAMPLE_RATE) {
            throw new NotToneAudio("it is sampled at " + pcm.sampleRate() + " Hz, not " + SAMPLE_RATE);
        }
        short[] samples = pcm.samples();
        int symbols = samples.length / SAMPLES_PER_SYMBOL;
        if (symbols < 2 * (MAGIC.length + 2 + 4)) {
            throw new NotToneAudio("it is too short to hold a tone frame");
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (int s = 0; s + 1 < symbols; s += 2) {
            bytes.write(symbol(samples, s) << 4 | symbol(samples, s + 1));
        }
        ByteBuffer frame = ByteBuffer.wrap(bytes.toByteArray());
        if (frame.get() != MAGIC[0] || frame.get() != MAGIC[1]) {
            throw new NotToneAudio("it does not start with the tone frame's marker");
        }
        int length = Short.toUnsignedInt(frame.getShort());
        if (length > frame.remaining() - 4) {
            throw new NotToneAudio("it ends before the " + length + " bytes its frame announces");
        }
        byte[] payload = new byte[length];
        frame.get(payload);
        CRC32 crc = new CRC32();
        crc.update(payload);
        if (frame.getInt() != (int) crc.getValue()) {
            throw new NotToneAudio("its checksum does not match (the audio was altered or damaged)");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(payload)).toString();
        } catch (CharacterCodingException e) {
            throw new NotToneAudio("its payload is not UTF-8 text");
        }
    }

    static double frequency(int value) {
        return 1000 + 100 * value;
    }

    private static void tone(short[] samples, int symbol, int value) {
        double step = 2 * Math.PI * frequency(value) / SAMPLE_RATE;
        int start = symbol * SAMPLES_PER_SYMBOL;
        for (int i = 0; i < SAMPLES_PER_SYMBOL; i++) {
            samples[start + i] = (short) Math.round(AMPLITUDE * Math.sin(step * i));
        }
    }

    /** The value whose tone carries the symbol, if one clearly does. */
    private static int symbol(short[] samples, int symbol) throws NotToneAudio {
        int start = symbol * SAMPLES_PER_SYMBOL;
        int best = -1;
        double bestPower = 0;
        double second = 0;
        for (int value = 0; value < 16; value++) {
            double power = goertzel(samples, start, frequency(value));
            if (power > bestPower) {
                second = bestPower;
                bestPower = power;
                best = value;
            } else if (power > second) {
                second = power;
            }
        }
        if (best < 0 || bestPower < DOMINANCE * second) {
            throw new NotToneAudio("its sound at " + (start * 1000L / SAMPLE_RATE) + " ms is not one of the tones");
        }
        return best;
    }

    /** The energy at one frequency over one symbol. */
    private static double goertzel(short[] samples, int start, double frequency) {
        double coefficient = 2 * Math.cos(2 * Math.PI * frequency / SAMPLE_RATE);
        double previous = 0;
        double beforePrevious = 0;
        for (int i = start; i < start + SAMPLES_PER_SYMBOL; i++) {
            double current = samples[i] + coefficient * previous - beforePrevious;
            beforePrevious = previous;
            previous = current;
        }
        return previous * previous + beforePrevious * beforePrevious - coefficient * previous * beforePrevious;
    }
}
