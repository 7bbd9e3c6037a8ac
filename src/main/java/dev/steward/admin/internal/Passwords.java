package dev.steward.admin.internal;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;

/**
 * Admin passwords as PBKDF2-HMAC-SHA256 hashes ({@code pbkdf2-sha256$<iterations>$<salt>$<hash>}, base64), slow
 * on purpose (OWASP's 600,000 iterations), with a fresh 16-byte salt each; compared in constant time. A check
 * against no account runs the same work, so a wrong email costs as long as a wrong password.
 */
final class Passwords {

    static final int ITERATIONS = 600_000;
    static final int MIN_LENGTH = 12;
    private static final SecureRandom RANDOM = new SecureRandom();
    /** What a missing account is checked against: the same work, and no password derives all zeros. */
    private static final String NO_ACCOUNT = "pbkdf2-sha256$" + ITERATIONS + "$"
            + Base64.getEncoder().encodeToString(new byte[16]) + "$" + Base64.getEncoder().encodeToString(new byte[32]);

    private Passwords() {
    }

    static String hash(String password) {
        byte[] salt = new byte[16];
        RANDOM.nextBytes(salt);
        return "pbkdf2-sha256$" + ITERATIONS + "$" + Base64.getEncoder().encodeToString(salt) + "$"
                + Base64.getEncoder().encodeToString(derive(password, salt, ITERATIONS));
    }

    /** Whether the password matches the stored hash; {@code stored} null checks against no account (false). */
    static boolean matches(String password, String stored) {
        String[] parts = (stored == null ? NO_ACCOUNT : stored).split("\\$");
        if (parts.length != 4 || !parts[0].equals("pbkdf2-sha256")) {
            return false;
        }
        byte[] expected = Base64.getDecoder().decode(parts[3]);
        byte[] actual = derive(password, Base64.getDecoder().decode(parts[2]), Integer.parseInt(parts[1]));
        return MessageDigest.isEqual(expected, actual) && stored != null;
    }

    private static byte[] derive(String password, byte[] salt, int iterations) {
        PBEKeySpec spec = new PBEKeySpec(password.toCharArray(), salt, iterations, 256);
        try {
            return SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256").generateSecret(spec).getEncoded();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("PBKDF2WithHmacSHA256 is part of every JDK", e);
        } finally {
            spec.clearPassword();
        }
    }
}
