package dev.steward.admin.internal;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.ServletContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The analysts' reports as the admin UI runs them: the very files of {@code reports/*.sql}, which the build puts in
 * the WAR under {@code WEB-INF/reports} (pom.xml, the war plugin's webResources), each translated for JDBC once.
 * A file that cannot be translated fails the first use (and {@code PsqlReportTest} fails the build before that).
 */
@ApplicationScoped
class ReportLibrary {

    static final String FOLDER = "/WEB-INF/reports/";
    private static final Pattern FILE = Pattern.compile(Pattern.quote(FOLDER) + "([a-z0-9_]+)\\.sql");

    @Inject
    ServletContext context;

    private volatile Map<String, PsqlReport> reports;

    /** Every report, by name, in name order. */
    Map<String, PsqlReport> all() {
        Map<String, PsqlReport> loaded = reports;
        if (loaded == null) {
            loaded = load();
            reports = loaded;
        }
        return loaded;
    }

    Optional<PsqlReport> named(String name) {
        return Optional.ofNullable(all().get(name));
    }

    /** The reports' variables, each once (the reports page's form). */
    Set<String> variables() {
        return PsqlReport.variablesOf(List.copyOf(all().values()));
    }

    private Map<String, PsqlReport> load() {
        Map<String, PsqlReport> loaded = new TreeMap<>();
        Set<String> paths = context.getResourcePaths(FOLDER);
        for (String path : paths == null ? Set.<String>of() : paths) {
            Matcher file = FILE.matcher(path);
            if (!file.matches()) {
                continue; // the README
            }
            try (InputStream in = context.getResourceAsStream(path)) {
                loaded.put(file.group(1), PsqlReport.translate(file.group(1),
                        new String(in.readAllBytes(), StandardCharsets.UTF_8)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (loaded.isEmpty()) {
            throw new IllegalStateException("no reports in the WAR's " + FOLDER);
        }
        return Collections.unmodifiableMap(loaded); // a TreeMap: in name order
    }
}
