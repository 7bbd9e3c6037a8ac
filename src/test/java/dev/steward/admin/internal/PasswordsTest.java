package dev.steward.admin.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PasswordsTest {

    @Test
    void aHashIsSaltedSlowAndMatchesOnlyItsPassword() {
        String hash = Passwords.hash("correct horse battery");
        assertThat(hash).startsWith("pbkdf2-sha256$" + Passwords.ITERATIONS + "$").doesNotContain("correct");
        assertThat(Passwords.hash("correct horse battery")).isNotEqualTo(hash);
        assertThat(Passwords.matches("correct horse battery", hash)).isTrue();
        assertThat(Passwords.matches("correct horse batterY", hash)).isFalse();
    }

    @Test
    void noAccountAndForeignFormatsNeverMatch() {
        assertThat(Passwords.matches("anything at all", null)).isFalse();
        assertThat(Passwords.matches("x", "md5$abc")).isFalse();
    }
}
