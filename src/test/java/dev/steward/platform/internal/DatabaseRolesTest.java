package dev.steward.platform.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class DatabaseRolesTest {

    @Test
    void identifiersAreQuoted() {
        assertEquals("\"steward\"", DatabaseRoles.identifier("steward"));
        assertEquals("\"my\"\"db\"", DatabaseRoles.identifier("my\"db"));
    }
}
