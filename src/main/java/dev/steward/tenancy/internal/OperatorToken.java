package dev.steward.tenancy.internal;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The platform operator's bootstrap credential, {@code STEWARD_ADMIN_TOKEN}. Unset, the operator API refuses
 * everyone. Compared in constant time, on digests so that the length of the token does not leak either.
 */
@ApplicationScoped
class OperatorToken {

    @Inject
    @ConfigProperty(name = "steward.admin-token")
    Optional<String> token;

    boolean matches(String offered) {
        if (offered == null || token.isEmpty() || token.get().isBlank()) {
            return false;
        }
        return MessageDigest.isEqual(digest(offered), digest(token.get()));
    }

    private static byte[] digest(String value) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
