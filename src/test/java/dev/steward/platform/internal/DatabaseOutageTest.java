package dev.steward.platform.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import org.junit.jupiter.api.Test;

class DatabaseOutageTest {

    @Test
    void connectionFailuresAnywhereInTheChainAreAnOutage() {
        SQLException refused = new SQLException("Connection refused", "08001", new ConnectException("refused"));
        assertThat(DatabaseOutage.in(new IllegalStateException("wrapped", new RuntimeException(refused)))).isTrue();
        assertThat(DatabaseOutage.in(new SQLException("terminating connection due to administrator command",
                "57P01"))).isTrue();
        assertThat(DatabaseOutage.in(new SQLException("the database system is starting up", "57P03"))).isTrue();
        assertThat(DatabaseOutage.in(new SQLTransientConnectionException("pool timed out"))).isTrue();
    }

    @Test
    void otherFailuresAreNot() {
        assertThat(DatabaseOutage.in(new SQLException("duplicate key", "23505"))).isFalse();
        assertThat(DatabaseOutage.in(new SQLException("no state"))).isFalse();
        assertThat(DatabaseOutage.in(new IllegalStateException("a bug"))).isFalse();
        assertThat(DatabaseOutage.in(null)).isFalse();
    }
}
