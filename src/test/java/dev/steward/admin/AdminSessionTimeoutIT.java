package dev.steward.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.testing.Api;
import dev.steward.testing.LibertyServer;
import dev.steward.testing.StewardServer;
import dev.steward.testing.Tasks;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;

/**
 * Admin sessions end after their idle time, in a real browser: on a second node of the installation whose idle time
 * is 10 seconds (the shared node keeps the default, so no other test is signed out while it waits). The rule itself,
 * to the second, is {@code IdleTimeoutTest}'s.
 */
@ExtendWith(StewardServer.class)
class AdminSessionTimeoutIT {

    private static LibertyServer node;

    @RegisterExtension
    static final AdminBrowser browser = new AdminBrowser(() -> node.baseUri().toString());

    @BeforeAll
    static void startANodeWithAShortIdleTime() {
        node = StewardServer.rig().startNode("steward-idle", Map.of("STEWARD_ADMIN_SESSION_IDLE", "PT10S"));
    }

    @AfterAll
    static void stopTheNode() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void aSessionEndsAfterItsIdleTimeEvenWithTheLiveRefreshRunning() {
        Api.TestTenant tenant = Api.newTenant("admin-idle");
        browser.signIn(AdminBrowser.newAccount("tenant-admin", tenant.id()), AdminBrowser.PASSWORD);
        browser.open("/admin/queue"); // its live refresh asks every 5 s and must not keep the session alive
        browser.waitFor(By.id("queue-live"));
        Tasks.pause(6_000);
        browser.open("/admin/tenants"); // a request of the person's own: the idle clock starts again
        browser.waitFor(By.id("tenants"));
        browser.open("/admin/queue");
        browser.waitFor(By.id("queue-live"));
        Tasks.pause(6_000);
        assertThat(browser.driver.getCurrentUrl()).as("6 s after the last request, still signed in")
                .endsWith("/admin/queue");
        // Past 10 s, the next live refresh finds the session ended and takes the tab to the sign-in page.
        browser.waitFor(By.cssSelector(".error"));
        assertThat(browser.driver.getCurrentUrl()).contains("/admin/signin");
        assertThat(browser.driver.findElement(By.cssSelector(".error")).getText())
                .isEqualTo("Your session ended after 10 seconds without activity; sign in again.");
        browser.open("/admin/tenants");
        browser.waitFor(By.id("email"));
        assertThat(browser.driver.getCurrentUrl()).endsWith("/admin/signin");
    }
}
