package dev.steward.admin;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.testing.Api;
import dev.steward.testing.StewardServer;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * What the admin UI's tests share: Debian's Chromium, headless, driven by Selenium; signing in; waiting for what a
 * page shows; screenshots in target/screenshots; accounts made through the operator's API; and browser-like plain
 * HTTP requests (form bodies, the page's CSRF token).
 */
final class AdminBrowser implements BeforeAllCallback, AfterAllCallback {

    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

    /** The browser, from before the test class's first test to after its last. */
    WebDriver driver;
    private final Supplier<String> baseUri;

    /** A browser for the test rig's Steward, for a test class: {@code @RegisterExtension static final}. */
    AdminBrowser() {
        this(() -> StewardServer.rig().baseUri());
    }

    /** A browser for the Steward node at {@code baseUri} (asked for when a page is opened). */
    AdminBrowser(Supplier<String> baseUri) {
        this.baseUri = baseUri;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        ChromeOptions options = new ChromeOptions().setBinary("/usr/bin/chromium").addArguments("--headless=new",
                "--no-sandbox", "--disable-dev-shm-usage", "--disable-background-networking",
                "--window-size=1280,900");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile()).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        driver.manage().timeouts().implicitlyWait(Duration.ZERO); // waits are explicit: for what the next page shows
    }

    @Override
    public void afterAll(ExtensionContext context) {
        driver.quit();
    }

    /** Signs in as a new visitor (whoever was signed in before) and waits for the first page or the error. */
    void signIn(String email, String password) {
        driver.get(baseUri.get() + "/admin/signin");
        driver.manage().deleteAllCookies();
        driver.get(baseUri.get() + "/admin/signin");
        driver.findElement(By.id("email")).sendKeys(email);
        driver.findElement(By.id("password")).sendKeys(password);
        driver.findElement(By.id("signin")).click();
        waitFor(By.cssSelector("#tenants, .error"));
    }

    void signInAsOperator() {
        signIn(StewardServer.rig().adminEmail(), StewardServer.rig().adminPassword());
    }

    /** Opens {@code path} (under the server's base URI). */
    void open(String path) {
        driver.get(baseUri.get() + path);
    }

    void waitFor(By what) {
        new WebDriverWait(driver, Duration.ofSeconds(15)).until(page -> !page.findElements(what).isEmpty());
    }

    void screenshot(String name) throws IOException {
        Path directory = Path.of("target", "screenshots");
        Files.createDirectories(directory);
        Files.write(directory.resolve(name + ".png"), ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
    }

    /** A browser-like request: form bodies, no JSON, against the running Steward. */
    static RequestSpecification web() {
        return RestAssured.given().baseUri(StewardServer.rig().baseUri());
    }

    /** Creates (or resets) an admin account through the operator's API. */
    static Response account(String email, String password, String role, String tenant) {
        return Api.asOperator().body("{\"password\":\"" + password + "\",\"role\":\"" + role + "\""
                + (tenant == null ? "" : ",\"tenantId\":\"" + tenant + "\"") + "}").put("/api/v1/admin/accounts/"
                + email);
    }

    /** A fresh account of {@code role} for {@code tenant}; its email, whose password is {@link #PASSWORD}. */
    static String newAccount(String role, String tenant) {
        String email = role + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.com";
        account(email, PASSWORD, role, tenant).then().statusCode(200);
        return email;
    }

    static final String PASSWORD = "a long enough password";

    /** Signs in over plain HTTP, as a browser would; the signed-in session's cookies. */
    static Map<String, String> httpSignIn(String email, String password) {
        Response page = web().get("/admin/signin");
        Response signedIn = web().cookies(page.getCookies()).formParams(Map.of("csrf", token(page.asString()),
                "email", email, "password", password)).redirects().follow(false).post("/admin/signin");
        signedIn.then().statusCode(302);
        return signedIn.getCookies();
    }

    /** The CSRF token a page's forms carry. */
    static String token(String html) {
        Matcher found = CSRF.matcher(html);
        assertThat(found.find()).as(html).isTrue();
        return found.group(1);
    }
}
