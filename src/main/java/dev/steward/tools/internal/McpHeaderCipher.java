package dev.steward.tools.internal;

import dev.steward.shared.MasterKey;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM for the headers Steward sends a tenant's MCP server (its credentials), under a key derived from the
 * master key for this purpose alone. The associated data binds a ciphertext to its tenant and server, so a
 * ciphertext copied to another row, or another tenant's, does not decrypt. Stored as the 12-byte nonce followed by
 * the ciphertext and tag. The same scheme as the models module's provider credentials; kept apart (not shared)
 * because a module's secrets are its own, and one key per purpose means one leak does not open the other.
 */
final class McpHeaderCipher {

    static final String PURPOSE = "mcp-server-headers/v1";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    McpHeaderCipher(MasterKey masterKey) {
        this.key = new SecretKeySpec(masterKey.derive(PURPOSE), "AES");
    }

    byte[] seal(String plaintext, String boundTo) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(boundTo.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not seal the MCP server's headers", e);
        }
    }

    /** Fails if the ciphertext was altered, or belongs to another tenant or server. */
    String open(byte[] stored, String boundTo) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, stored, 0, NONCE_BYTES));
        cipher.updateAAD(boundTo.getBytes(StandardCharsets.UTF_8));
        return new String(cipher.doFinal(stored, NONCE_BYTES, stored.length - NONCE_BYTES), StandardCharsets.UTF_8);
    }
}
