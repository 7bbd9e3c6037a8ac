package dev.steward.platform;

import static org.assertj.core.api.Assertions.assertThat;

import dev.steward.testing.Api;
import dev.steward.testing.EmbeddedDatabase;
import dev.steward.testing.StewardServer;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The security review's checks that code can make (docs/security.md): every secret Steward is given or makes (the
 * operator token, the master key, API keys, provider credentials, mail passwords, admin passwords, right or wrong)
 * is found in no log line and in no table in plain text, once each has been used the way users use them.
 */
@ExtendWith(StewardServer.class)
class SecretsAtRestAndInLogsIT {

    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

    @Test
    void noSecretIsLoggedOrStoredInPlainText() throws Exception {
        String marker = UUID.randomUUID().toString().replace("-", "");
        String providerKey = "sk-provider-" + marker;
        String mailPassword = "mail-password-" + marker;
        String adminPassword = "admin-password-" + marker;
        String wrongPassword = "wrong-password-" + marker;
        String forgedKey = "stw_forged" + marker;

        Api.TestTenant tenant = Api.newTenant("secrets");
        Api.as(tenant.key()).body("{\"name\":\"openai\",\"type\":\"openai\",\"credentials\":{\"apiKey\":\""
                + providerKey + "\"}}").post("/api/v1/providers").then().statusCode(201);
        Api.as(tenant.key()).body("{\"name\":\"mail\",\"provider\":\"smtp\",\"address\":\"ops@secrets.example\","
                + "\"password\":\"" + mailPassword + "\",\"smtp\":{\"host\":\"127.0.0.1\",\"port\":2525,"
                + "\"security\":\"none\"}}").post("/api/v1/email/accounts").then().statusCode(201);
        String email = "keeper-" + marker.substring(0, 8) + "@example.com";
        Api.asOperator().body("{\"password\":\"" + adminPassword + "\",\"role\":\"tenant-admin\",\"tenantId\":\""
                + tenant.id() + "\"}").put("/api/v1/admin/accounts/" + email).then().statusCode(200);
        signIn(email, wrongPassword).then().statusCode(401);
        signIn(email, adminPassword).then().statusCode(302);
        RestAssured.given().baseUri(StewardServer.rig().baseUri()).header("Authorization", "Bearer " + forgedKey)
                .get("/api/v1/me").then().statusCode(401);

        List<String> secrets = List.of(providerKey, mailPassword, adminPassword, wrongPassword, forgedKey,
                tenant.key(), StewardServer.rig().adminToken(), StewardServer.rig().masterKey(),
                StewardServer.rig().adminPassword(), StewardServer.rig().demoKey());
        for (Path log : logs()) {
            String text = Files.readString(log, StandardCharsets.ISO_8859_1);
            for (String secret : secrets) {
                assertThat(text).as("%s must not contain a secret", log.getFileName()).doesNotContain(secret);
            }
        }
        // In tables also as bytes (a bytea column shows as hex in the row's text) and as base64.
        List<String> stored = new ArrayList<>(secrets);
        for (String secret : secrets) {
            byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
            stored.add(HexFormat.of().formatHex(bytes));
            stored.add(Base64.getEncoder().withoutPadding().encodeToString(bytes));
        }
        assertThat(tablesHolding(stored)).isEmpty();
    }

    private static Response signIn(String email, String password) {
        Response page = RestAssured.given().baseUri(StewardServer.rig().baseUri()).get("/admin/signin");
        Matcher token = CSRF.matcher(page.asString());
        assertThat(token.find()).isTrue();
        return RestAssured.given().baseUri(StewardServer.rig().baseUri()).cookies(page.getCookies())
                .redirects().follow(false).formParams(Map.of("csrf", token.group(1), "email", email,
                        "password", password)).post("/admin/signin");
    }

    private static List<Path> logs() throws IOException {
        try (Stream<Path> files = Files.walk(StewardServer.rig().logDirectory())) {
            List<Path> logs = files.filter(Files::isRegularFile).toList();
            assertThat(logs).anyMatch(log -> log.getFileName().toString().equals("messages.log"));
            return logs;
        }
    }

    /** Every table of Steward's whose rows, as text, contain one of {@code secrets}. */
    private static List<String> tablesHolding(List<String> secrets) throws Exception {
        List<String> found = new ArrayList<>();
        try (Connection db = StewardServer.rig().connect(EmbeddedDatabase.SUPERUSER);
             Statement sql = db.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rows = sql.executeQuery("SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname)"
                    + " FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'r'"
                    + " AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_%'")) {
                while (rows.next()) {
                    tables.add(rows.getString(1));
                }
            }
            for (String table : tables) {
                for (String secret : secrets) {
                    try (ResultSet hit = sql.executeQuery("SELECT count(*) FROM " + table + " t WHERE t::text LIKE '%"
                            + secret.replace("'", "''") + "%'")) {
                        hit.next();
                        if (hit.getLong(1) > 0) {
                            found.add(table + " holds " + secret.substring(0, 6) + "...");
                        }
                    }
                }
            }
        }
        return found;
    }
}
