package dev.steward.tenancy.internal;

import dev.steward.shared.MasterKey;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Hashes key secrets with HMAC-SHA256 under a key derived from the master key. A keyed hash rather than a slow
 * one: the secret already has 256 bits of entropy, and authentication runs on every request. A leaked table is
 * useless without the master key.
 */
@ApplicationScoped
class ApiKeyHasher {

    @Inject
    @ConfigProperty(name = "steward.master-key")
    Optional<String> masterKey;

    private volatile byte[] hashKey;

    byte[] hash(ApiKeySecret secret) {
        return MasterKey.hmac(hashKey(), secret.secretBytes());
    }

    private byte[] hashKey() {
        byte[] key = hashKey;
        if (key == null) {
            key = MasterKey.of(masterKey.orElse(null)).derive("api-key-hash/v1");
            hashKey = key;
        }
        return key;
    }
}
