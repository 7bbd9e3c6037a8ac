package dev.steward.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The fault scenarios are run by hand (too slow for every build), but every build checks that each script under
 * {@code resilience/} names a main that exists, and that run-all runs them all.
 */
class ResilienceScriptsTest {

    private static final List<String> SCENARIOS = List.of("kill-node", "timer-failover", "restart-postgres",
            "provider-faults", "hung-dependencies");
    private static final Pattern MAIN = Pattern.compile("_run\" (\\w+)");

    @Test
    void everyScenarioScriptRunsAMainOfThisPackage() throws Exception {
        for (String scenario : SCENARIOS) {
            Path script = Path.of("resilience", scenario);
            assertThat(Files.isExecutable(script)).as(script + " is executable").isTrue();
            Matcher main = MAIN.matcher(Files.readString(script));
            assertThat(main.find()).as(script + " runs a main").isTrue();
            Method method = Class.forName("dev.steward.resilience." + main.group(1)).getMethod("main", String[].class);
            assertThat(Modifier.isStatic(method.getModifiers())).isTrue();
        }
        assertThat(Files.readString(Path.of("resilience/run-all"))).contains(SCENARIOS);
    }
}
