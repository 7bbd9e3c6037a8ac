package dev.steward.platform.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class DatabaseRolesTest {

    @Test
    void literalsAndIdentifiersAreQuoted() {
        assertEquals("'it''s'", DatabaseRoles.literal("it's"));
        assertEquals("'a\\b'", DatabaseRoles.literal("a\\b"));
        assertEquals("\"my\"\"db\"", DatabaseRoles.identifier("my\"db"));
        assertThrows(IllegalArgumentException.class, () -> DatabaseRoles.literal("nul\0"));
    }
}
