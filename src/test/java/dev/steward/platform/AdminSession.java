package dev.steward.platform;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A signed-in admin UI session over {@link RawHttp}: its cookie and the CSRF token its forms carry. */
record AdminSession(String sessionCookie, String csrf) {

    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");

    static AdminSession signIn(RawHttp http, String email, String password) {
        RawHttp.Response form = http.send(new RawHttp.Request("GET", "/admin/signin", List.of(), new byte[0]));
        String cookie = cookie(form, null);
        String token = csrf(form);
        String body = "csrf=" + URLEncoder.encode(token, StandardCharsets.UTF_8) + "&email="
                + URLEncoder.encode(email, StandardCharsets.UTF_8) + "&password="
                + URLEncoder.encode(password, StandardCharsets.UTF_8);
        RawHttp.Response signedIn = http.send(new RawHttp.Request("POST", "/admin/signin", List.of(
                new String[] {"Cookie", cookie}, new String[] {"Content-Type", "application/x-www-form-urlencoded"}),
                body.getBytes(StandardCharsets.UTF_8)));
        if (signedIn.status() / 100 != 3) {
            throw new IllegalStateException("admin sign-in answered " + signedIn.status() + ": " + signedIn.text());
        }
        cookie = cookie(signedIn, cookie);
        RawHttp.Response page = http.send(new RawHttp.Request("GET", "/admin/tenants", List.<String[]>of(
                new String[] {"Cookie", cookie}), new byte[0]));
        return new AdminSession(cookie, csrf(page));
    }

    List<String[]> cookie() {
        List<String[]> headers = new ArrayList<>();
        headers.add(new String[] {"Cookie", sessionCookie});
        return headers;
    }

    private static String cookie(RawHttp.Response response, String otherwise) {
        for (String value : response.headers().getOrDefault("set-cookie", List.of())) {
            if (value.startsWith("JSESSIONID=")) {
                return value.substring(0, value.indexOf(';') < 0 ? value.length() : value.indexOf(';'));
            }
        }
        if (otherwise == null) {
            throw new IllegalStateException("no session cookie: " + response.headers());
        }
        return otherwise;
    }

    private static String csrf(RawHttp.Response page) {
        Matcher token = CSRF.matcher(page.text());
        if (!token.find()) {
            throw new IllegalStateException("no CSRF token on the page (" + page.status() + ")");
        }
        return token.group(1);
    }
}
