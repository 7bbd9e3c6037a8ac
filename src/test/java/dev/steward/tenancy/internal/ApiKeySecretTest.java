package dev.steward.tenancy.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ApiKeySecretTest {

    @Test
    void generatedKeysParseBackToTheirParts() {
        ApiKeySecret secret = ApiKeySecret.generate();
        assertTrue(secret.fullKey().matches("stw_[a-z0-9]{12}_[A-Za-z0-9_-]{43}"));
        assertEquals(secret, ApiKeySecret.parse(secret.fullKey()).orElseThrow());
        assertNotEquals(secret.fullKey(), ApiKeySecret.generate().fullKey());
    }

    @Test
    void anythingElseIsNotAKey() {
        assertTrue(ApiKeySecret.parse(null).isEmpty());
        assertTrue(ApiKeySecret.parse("").isEmpty());
        assertTrue(ApiKeySecret.parse("stw_short_secret").isEmpty());
        String valid = ApiKeySecret.generate().fullKey();
        assertTrue(ApiKeySecret.parse(valid + "x").isEmpty());
        assertTrue(ApiKeySecret.parse(" " + valid).isEmpty());
    }

    @Test
    void printingASecretShowsOnlyItsPrefix() {
        ApiKeySecret secret = ApiKeySecret.generate();
        assertFalse(secret.toString().contains(secret.secret()));
    }
}
