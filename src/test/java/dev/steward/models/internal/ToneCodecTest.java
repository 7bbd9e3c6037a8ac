package dev.steward.models.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ToneCodecTest {

    @Test
    void textComesBackFromItsOwnTones() throws Exception {
        String text = "You said: héllo wörld, 3 × 4 = 12 ✓";
        assertThat(ToneCodec.decode(ToneCodec.encode(text))).isEqualTo(text);
        assertThat(ToneCodec.decode(ToneCodec.encode(""))).isEmpty();
    }

    @Test
    void theAudioIsAPlayableWavOfTheExpectedLength() {
        byte[] wav = ToneCodec.encode("hi");
        ByteBuffer header = ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN);
        assertThat(new String(wav, 0, 4)).isEqualTo("RIFF");
        assertThat(new String(wav, 8, 4)).isEqualTo("WAVE");
        assertThat(header.getInt(24)).isEqualTo(8000); // sample rate
        // "ST", length, 2 bytes, CRC: 10 bytes, 20 symbols of 80 samples of 2 bytes, after a 44-byte header.
        assertThat(wav).hasSize(44 + 20 * 80 * 2);
        assertThat(header.getInt(40)).isEqualTo(20 * 80 * 2);
    }

    @Test
    void aQuieterCopyDecodesTheSame() throws Exception {
        byte[] wav = ToneCodec.encode("quiet please");
        ByteBuffer samples = ByteBuffer.wrap(wav).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 44; i < wav.length; i += 2) {
            samples.putShort(i, (short) (samples.getShort(i) / 5));
        }
        assertThat(ToneCodec.decode(wav)).isEqualTo("quiet please");
    }

    @Test
    void otherAudioIsRefusedWithAReason() {
        assertThatThrownBy(() -> ToneCodec.decode("ID3 not a wav".getBytes()))
                .isInstanceOf(ToneCodec.NotToneAudio.class).hasMessage("it is not a WAV file");
        byte[] silence = Wav.write(new Wav.Pcm(8000, new short[8000]));
        assertThatThrownBy(() -> ToneCodec.decode(silence)).isInstanceOf(ToneCodec.NotToneAudio.class)
                .hasMessageContaining("not one of the tones");
        byte[] otherRate = Wav.write(new Wav.Pcm(16000, new short[16000]));
        assertThatThrownBy(() -> ToneCodec.decode(otherRate)).hasMessageContaining("16000 Hz");
    }

    @Test
    void aDamagedFrameFailsItsChecksum() {
        byte[] wav = ToneCodec.encode("abc");
        // Replace the tone of the payload's first symbol by that of another value: still tones, wrong text.
        byte[] other = ToneCodec.encode("qbc");
        int firstPayloadSymbol = 8; // after "ST" and the length: 4 bytes, 8 symbols
        int from = 44 + firstPayloadSymbol * 80 * 2;
        System.arraycopy(other, from, wav, from, 2 * 80 * 2);
        assertThatThrownBy(() -> ToneCodec.decode(wav)).hasMessageContaining("checksum");
        byte[] cut = Arrays.copyOf(wav, wav.length - 80 * 2 * 6);
        assertThatThrownBy(() -> ToneCodec.decode(cut)).isInstanceOf(ToneCodec.NotToneAudio.class);
    }
}
