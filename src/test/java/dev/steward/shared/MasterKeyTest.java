package dev.steward.shared;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class MasterKeyTest {

    private static final String KEY = "0123456789abcdef0123456789abcdef";

    @Test
    void derivesOneStableKeyPerPurpose() {
        MasterKey master = MasterKey.of(KEY);
        assertArrayEquals(master.derive("api-key-hash/v1"), MasterKey.of(KEY).derive("api-key-hash/v1"));
        assertFalse(Arrays.equals(master.derive("api-key-hash/v1"), master.derive("credentials/v1")));
        assertEquals(32, master.derive("x").length);
    }

    @Test
    void refusesMissingOrShortKeys() {
        assertThrows(IllegalStateException.class, () -> MasterKey.of(null));
        assertThrows(IllegalStateException.class, () -> MasterKey.of("too-short"));
    }
}
