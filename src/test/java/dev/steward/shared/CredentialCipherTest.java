package dev.steward.shared;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import org.junit.jupiter.api.Test;

class CredentialCipherTest {

    private final CredentialCipher cipher =
            new CredentialCipher(MasterKey.of("a-master-key-of-at-least-32-characters!"), "test/v1");

    @Test
    void credentialsComeBackOnlyForTheRowTheyWereSealedFor() throws Exception {
        byte[] sealed = cipher.encrypt("{\"apiKey\":\"sk-secret\"}", "tenant-a/account-1");

        assertThat(new String(sealed, StandardCharsets.ISO_8859_1)).doesNotContain("sk-secret");
        assertThat(cipher.decrypt(sealed, "tenant-a/account-1")).isEqualTo("{\"apiKey\":\"sk-secret\"}");
        assertThatThrownBy(() -> cipher.decrypt(sealed, "tenant-b/account-1"))
                .isInstanceOf(GeneralSecurityException.class);
        sealed[sealed.length - 1] ^= 1;
        assertThatThrownBy(() -> cipher.decrypt(sealed, "tenant-a/account-1"))
                .isInstanceOf(GeneralSecurityException.class);
    }

    @Test
    void everyEncryptionUsesAFreshNonce() {
        assertThat(cipher.encrypt("same", "x")).isNotEqualTo(cipher.encrypt("same", "x"));
    }

    @Test
    void aKeyForAnotherPurposeCannotOpenThem() {
        byte[] sealed = cipher.encrypt("secret", "x");
        CredentialCipher other = new CredentialCipher(MasterKey.of("a-master-key-of-at-least-32-characters!"),
                "other/v1");
        assertThatThrownBy(() -> other.decrypt(sealed, "x")).isInstanceOf(GeneralSecurityException.class);
    }

    @Test
    void anotherMasterKeyCannotOpenThem() {
        byte[] sealed = cipher.encrypt("secret", "x");
        CredentialCipher other = new CredentialCipher(MasterKey.of("another-master-key-of-32-characters-or-more"),
                "test/v1");
        assertThatThrownBy(() -> other.decrypt(sealed, "x")).isInstanceOf(GeneralSecurityException.class);
    }
}
