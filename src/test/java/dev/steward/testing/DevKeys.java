package dev.steward.testing;

import java.security.SecureRandom;
import java.util.Base64;

/** Credentials for development and tests, in the formats Steward expects. */
public final class DevKeys {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final char[] PREFIX_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    private DevKeys() {
    }

    /** A tenant API key, {@code stw_<12 chars>_<43 chars>}. */
    public static String newApiKey() {
        StringBuilder prefix = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            prefix.append(PREFIX_ALPHABET[RANDOM.nextInt(PREFIX_ALPHABET.length)]);
        }
        return "stw_" + prefix + "_" + randomToken(32);
    }

    /** {@code bytes} random bytes, URL-safe base64 without padding. */
    public static String randomToken(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    }
}
