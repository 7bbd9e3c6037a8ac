package dev.steward.admin.internal;

import jakarta.servlet.http.HttpServletRequest;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A list page's page: {@code ?page=N} (from 1) of {@link #SIZE} rows. Stores read {@link #fetch} rows from
 * {@link #offset}, one more than shown, so the page knows whether another follows without counting them all.
 * {@link #show} puts the rows and the links to the pages either side (keeping the page's filters) in the request,
 * for {@code pager.jspf}.
 */
record Paging(int number) {

    static final int SIZE = 50;
    private static final int LAST = 10_000; // far enough for any list a person pages through

    static Paging of(HttpServletRequest request) {
        try {
            int number = Integer.parseInt(String.valueOf(request.getParameter("page")));
            return new Paging(Math.min(Math.max(number, 1), LAST));
        } catch (NumberFormatException e) {
            return new Paging(1);
        }
    }

    int offset() {
        return (number - 1) * SIZE;
    }

    /** How many rows to read: one more than a page shows. */
    int fetch() {
        return SIZE + 1;
    }

    /** Puts at most a page of {@code rows} in the request as {@code attribute}, and the links either side. */
    <T> void show(HttpServletRequest request, String attribute, List<T> rows) {
        request.setAttribute(attribute, rows.size() > SIZE ? rows.subList(0, SIZE) : rows);
        request.setAttribute("pageNumber", number);
        request.setAttribute("previousPage", number > 1 ? link(request, number - 1) : null);
        request.setAttribute("nextPage", rows.size() > SIZE ? link(request, number + 1) : null);
    }

    private static String link(HttpServletRequest request, int page) {
        String filters = request.getParameterMap().entrySet().stream()
                .filter(parameter -> !List.of("page", "done").contains(parameter.getKey()))
                .flatMap(parameter -> List.of(parameter.getValue()).stream()
                        .map(value -> Map.entry(parameter.getKey(), value)))
                .map(pair -> encode(pair.getKey()) + "=" + encode(pair.getValue()) + "&")
                .collect(Collectors.joining());
        return "?" + filters + "page=" + page;
    }

    private static String encode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }
}
