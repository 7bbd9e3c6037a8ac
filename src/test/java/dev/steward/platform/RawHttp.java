package dev.steward.platform;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, one connection per request, sending exactly the bytes it is given: request targets
 * with {@code %00} or {@code ../}, header values with CR/LF, bodies that are not UTF-8. Ordinary clients refuse to
 * send most of what the fuzz suite needs to send. Event streams are read for a moment and then closed.
 */
final class RawHttp {

    private final String host;
    private final int port;
    private final int timeoutMillis;

    RawHttp(URI base, int timeoutMillis) {
        this.host = base.getHost();
        this.port = base.getPort();
        this.timeoutMillis = timeoutMillis;
    }

    /** A request: the target as sent (already encoded), headers in order, the body's bytes (empty for none). */
    record Request(String method, String target, List<String[]> headers, byte[] body) {

        Request header(String name, String value) {
            List<String[]> more = new ArrayList<>(headers);
            more.add(new String[] {name, value});
            return new Request(method, target, more, body);
        }

        String describe() {
            StringBuilder text = new StringBuilder(method).append(' ').append(abbreviate(target, 160));
            for (String[] header : headers) {
                if (!header[0].equalsIgnoreCase("Authorization")) {
                    text.append(" [").append(header[0]).append(": ").append(abbreviate(header[1], 60)).append(']');
                }
            }
            String shown = new String(body, StandardCharsets.UTF_8);
            return text.append(body.length == 0 ? "" : " body(" + body.length + "B): " + abbreviate(shown, 240))
                    .toString().replace("\r", "\\r").replace("\n", "\\n").replace("\0", "\\0");
        }
    }

    /** The answer: status (-1 when none came in time), headers by lower-case name, the body (de-chunked). */
    record Response(int status, Map<String, List<String>> headers, byte[] body, boolean timedOut) {

        String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? null : values.get(0);
        }

        String contentType() {
            String type = header("Content-Type");
            return type == null ? "" : type.toLowerCase(Locale.ROOT);
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    Response send(Request request) {
        try (Socket socket = new Socket(host, port)) {
            socket.setSoTimeout(timeoutMillis);
            OutputStream out = socket.getOutputStream();
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            head.writeBytes((request.method() + " " + request.target() + " HTTP/1.1\r\n").getBytes(
                    StandardCharsets.ISO_8859_1));
            head.writeBytes(("Host: " + host + ":" + port + "\r\nConnection: close\r\n").getBytes(
                    StandardCharsets.ISO_8859_1));
            for (String[] header : request.headers()) {
                // UTF-8, so that characters past Latin-1 arrive as the raw bytes a hostile client would send.
                head.writeBytes((header[0] + ": " + header[1] + "\r\n").getBytes(StandardCharsets.UTF_8));
            }
            if (request.body().length > 0 || !request.method().equals("GET")) {
                head.writeBytes(("Content-Length: " + request.body().length + "\r\n").getBytes(
                        StandardCharsets.ISO_8859_1));
            }
            head.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.write(head.toByteArray());
            out.write(request.body());
            out.flush();
            return read(socket.getInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException("sending " + request.describe(), e);
        }
    }

    private static Response read(InputStream in) throws IOException {
        String statusLine;
        try {
            statusLine = line(in);
        } catch (SocketTimeoutException timedOut) {
            return new Response(-1, Map.of(), new byte[0], true);
        }
        if (statusLine == null || !statusLine.startsWith("HTTP/")) {
            return new Response(-1, Map.of(), new byte[0], false);
        }
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String line = line(in); line != null && !line.isEmpty(); line = line(in)) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.computeIfAbsent(line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        name -> new ArrayList<>()).add(line.substring(colon + 1).trim());
            }
        }
        String type = headers.getOrDefault("content-type", List.of("")).get(0);
        boolean stream = type.startsWith("text/event-stream");
        boolean chunked = headers.getOrDefault("transfer-encoding", List.of("")).get(0).equalsIgnoreCase("chunked");
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        boolean timedOut = false;
        try {
            if (stream) {
                return new Response(status, headers, new byte[0], false); // open streams are not waited for
            } else if (chunked) {
                for (int size = chunkSize(line(in)); size > 0; size = chunkSize(line(in))) {
                    body.writeBytes(in.readNBytes(size));
                    line(in);
                }
            } else if (headers.containsKey("content-length")) {
                body.writeBytes(in.readNBytes(Integer.parseInt(headers.get("content-length").get(0))));
            } else {
                in.transferTo(body);
            }
        } catch (SocketTimeoutException e) {
            timedOut = true;
        }
        return new Response(status, headers, body.toByteArray(), timedOut);
    }

    private static int chunkSize(String line) {
        if (line == null || line.isBlank()) {
            return 0;
        }
        int extension = line.indexOf(';');
        return Integer.parseInt((extension < 0 ? line : line.substring(0, extension)).trim(), 16);
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b = in.read(); b >= 0; b = in.read()) {
            if (b == '\n') {
                byte[] bytes = line.toByteArray();
                int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    static String abbreviate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max) + "...(" + text.length() + " chars)";
    }
}
