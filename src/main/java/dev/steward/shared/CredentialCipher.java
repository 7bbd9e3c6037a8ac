package dev.steward.shared;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM for stored credentials (model providers', mail accounts'), under a key derived from the master key for
 * one purpose, so one kind of secret never decrypts as another. The associated data binds a ciphertext to its tenant
 * and account, so a ciphertext copied to another row does not decrypt. Stored as the 12-byte nonce followed by the
 * ciphertext and tag.
 */
public final class CredentialCipher {

    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    /**
     * The cipher for {@code purpose} under the configured master key ({@code steward.master-key}); deriving it is one
     * HMAC, cheap enough to do per use.
     */
    public static CredentialCipher of(Optional<String> configuredMasterKey, String purpose) {
        return new CredentialCipher(MasterKey.of(configuredMasterKey.orElse(null)), purpose);
    }

    /** @param purpose what the key is for, versioned: {@code provider-credentials/v1} */
    public CredentialCipher(MasterKey masterKey, String purpose) {
        this.key = new SecretKeySpec(masterKey.derive(purpose), "AES");
    }

    public byte[] encrypt(String plaintext, String boundTo) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(boundTo.getBytes(StandardCharsets.UTF_8));
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.allocate(NONCE_BYTES + sealed.length).put(nonce).put(sealed).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("could not encrypt credentials", e);
        }
    }

    /** Fails if the ciphertext was altered, or belongs to another tenant or account. */
    public String decrypt(byte[] stored, String boundTo) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, stored, 0, NONCE_BYTES));
        cipher.updateAAD(boundTo.getBytes(StandardCharsets.UTF_8));
        return new String(cipher.doFinal(stored, NONCE_BYTES, stored.length - NONCE_BYTES), StandardCharsets.UTF_8);
    }
}
