package dev.steward.tenancy.internal;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The wire form of an API key: {@code stw_<prefix>_<secret>}, a 12-character prefix that identifies the key and
 * may be shown anywhere, and 256 random bits of secret that are shown once and stored only as a keyed hash.
 */
record ApiKeySecret(String prefix, String secret) {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern FORMAT = Pattern.compile("stw_([a-z0-9]{12})_([A-Za-z0-9_-]{43})");
    private static final char[] PREFIX_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789".toCharArray();

    static ApiKeySecret generate() {
        char[] prefix = new char[12];
        for (int i = 0; i < prefix.length; i++) {
            prefix[i] = PREFIX_ALPHABET[RANDOM.nextInt(PREFIX_ALPHABET.length)];
        }
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        return new ApiKeySecret(new String(prefix), Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
    }

    static Optional<ApiKeySecret> parse(String key) {
        if (key == null) {
            return Optional.empty();
        }
        Matcher matcher = FORMAT.matcher(key);
        return matcher.matches() ? Optional.of(new ApiKeySecret(matcher.group(1), matcher.group(2))) : Optional.empty();
    }

    String fullKey() {
        return "stw_" + prefix + "_" + secret;
    }

    byte[] secretBytes() {
        return secret.getBytes(StandardCharsets.US_ASCII);
    }

    @Override
    public String toString() {
        return "ApiKeySecret[prefix=" + prefix + "]";
    }
}
