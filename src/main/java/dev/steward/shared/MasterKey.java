package dev.steward.shared;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The installation's root secret ({@code STEWARD_MASTER_KEY}) and the keys derived from it, one per purpose, so
 * that no two uses (hashing API keys, encrypting provider credentials) ever share key material.
 */
public final class MasterKey {

    /** Short keys are refused: the master key protects every tenant's credentials. */
    public static final int MIN_LENGTH = 32;

    private final byte[] material;

    private MasterKey(byte[] material) {
        this.material = material;
    }

    public static MasterKey of(String configured) {
        if (configured == null || configured.length() < MIN_LENGTH) {
            throw new IllegalStateException("STEWARD_MASTER_KEY must be set to at least " + MIN_LENGTH
                    + " characters (for example: openssl rand -base64 32)");
        }
        return new MasterKey(configured.getBytes(StandardCharsets.UTF_8));
    }

    /** A 256-bit key for one purpose, e.g. {@code "api-key-hash/v1"}: HMAC-SHA256(master, purpose). */
    public byte[] derive(String purpose) {
        return hmac(material, purpose.getBytes(StandardCharsets.UTF_8));
    }

    public static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
