package dev.steward.models.internal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The smallest honest WAV: RIFF/WAVE with a {@code fmt } chunk of 16-bit PCM and a {@code data} chunk. Written for
 * mono 16-bit PCM; read back only in that shape (any other is reported, not guessed at).
 */
final class Wav {

    /** Mono 16-bit PCM samples at a rate. */
    record Pcm(int sampleRate, short[] samples) {
    }

    private Wav() {
    }

    static byte[] write(Pcm pcm) {
        int dataBytes = pcm.samples().length * 2;
        ByteBuffer out = ByteBuffer.allocate(44 + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        out.put(ascii("RIFF")).putInt(36 + dataBytes).put(ascii("WAVE"));
        out.put(ascii("fmt ")).putInt(16).putShort((short) 1).putShort((short) 1).putInt(pcm.sampleRate())
                .putInt(pcm.sampleRate() * 2).putShort((short) 2).putShort((short) 16);
        out.put(ascii("data")).putInt(dataBytes);
        for (short sample : pcm.samples()) {
            out.putShort(sample);
        }
        return out.array();
    }

    /** The samples of a mono 16-bit PCM WAV; empty, with why, for anything else. */
    static Result read(byte[] file) {
        if (file.length < 12 || !"RIFF".equals(text(file, 0)) || !"WAVE".equals(text(file, 8))) {
            return Result.refused("it is not a WAV file");
        }
        ByteBuffer in = ByteBuffer.wrap(file).order(ByteOrder.LITTLE_ENDIAN);
        int position = 12;
        Integer sampleRate = null;
        while (position + 8 <= file.length) {
            String id = text(file, position);
            long size = Integer.toUnsignedLong(in.getInt(position + 4));
            int body = position + 8;
            if (size > file.length - body) {
                return Result.refused("its " + id.trim() + " chunk runs past the end of the file");
            }
            if (id.equals("fmt ")) {
                if (size < 16 || in.getShort(body) != 1 || in.getShort(body + 2) != 1 || in.getShort(body + 14) != 16) {
                    return Result.refused("it is not mono 16-bit PCM");
                }
                sampleRate = in.getInt(body + 4);
            } else if (id.equals("data")) {
                if (sampleRate == null) {
                    return Result.refused("its data comes before its format");
                }
                short[] samples = new short[(int) (size / 2)];
                for (int i = 0; i < samples.length; i++) {
                    samples[i] = in.getShort(body + 2 * i);
                }
                return new Result(Optional.of(new Pcm(sampleRate, samples)), null);
            }
            position = body + (int) size + (int) (size & 1); // chunks are padded to even sizes
        }
        return Result.refused("it has no data chunk");
    }

    /** The samples, or why there are none. */
    record Result(Optional<Pcm> pcm, String refusal) {
        static Result refused(String why) {
            return new Result(Optional.empty(), why);
        }
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static String text(byte[] file, int at) {
        return new String(file, at, 4, StandardCharsets.US_ASCII);
    }
}
