package dev.steward.admin.internal;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The admin UI's static assets ({@code /admin/static/<name>}) from the WAR: the JAX-RS application holds every
 * other path, so they need a servlet of their own. Plain names only (no directories, no dots but the extension's).
 */
@WebServlet(urlPatterns = "/admin/static/*")
public class AssetServlet extends HttpServlet {

    private static final Pattern NAME = Pattern.compile("/([a-z0-9-]{1,60})\\.(css|js|svg|png)");
    private static final Map<String, String> TYPES = Map.of("css", "text/css; charset=utf-8",
            "js", "text/javascript; charset=utf-8", "svg", "image/svg+xml", "png", "image/png");

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Matcher name = NAME.matcher(String.valueOf(request.getPathInfo()));
        InputStream asset = name.matches()
                ? getServletContext().getResourceAsStream("/admin/static" + request.getPathInfo()) : null;
        if (asset == null) {
            response.sendError(HttpServletResponse.SC_NOT_FOUND);
            return;
        }
        try (asset) {
            response.setContentType(TYPES.get(name.group(2)));
            response.setHeader("Cache-Control", "max-age=3600");
            asset.transferTo(response.getOutputStream());
        }
    }
}
