package dev.steward.platform;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * What the fuzz suite throws at Steward, all drawn from one seeded {@link Random} so that a failure reproduces:
 * bodies that are not JSON (or not quite), JSON nested past any sane depth, hostile strings, values of the wrong type
 * put in place of each field of a valid body, and odd path segments.
 */
final class FuzzInputs {

    /** Always escapes non-ASCII as {@code \\uXXXX}: how a lone surrogate gets into JSON text at all. */
    private static final ObjectMapper ESCAPING = JsonMapper.builder().enable(JsonWriteFeature.ESCAPE_NON_ASCII)
            .build();
    private static final ObjectMapper PLAIN = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** Strings that have broken parsers, databases, logs and headers somewhere. */
    static final List<String> HOSTILE_STRINGS = List.of(
            "' OR 1=1 --",
            "'; DROP TABLE agents.agents; --",
            "\" OR \"\"=\"",
            "1; SELECT pg_sleep(5)",
            "$$; COPY tenancy.api_keys TO STDOUT; $$",
            "\ud800",                       // a lone high surrogate (only expressible escaped)
            "\udfff\ud800",                 // surrogates the wrong way round
            "x\u0000y",                     // NUL, which PostgreSQL text cannot hold
            "\u202egnp.exe",                // right-to-left override
            "a\u200db\u200c\u2060c",        // zero-width joiner, non-joiner, word joiner
            "\ufeffbom",                    // a BOM inside a value
            "\uD83D\uDE00\uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67", // emoji, one with ZWJs
            "e\u0301\u0301\u0301\u0301",     // stacked combining marks
            "line\r\nX-Injected: yes",       // CR/LF, for fields that may end up in headers or logs
            "../../../../etc/passwd",
            "%2e%2e%2f%00",
            "${jndi:ldap://127.0.0.1/x}",
            "<script>alert(1)</script>",
            "",
            " ",
            "\t\n");

    /** Values of every JSON type, to put where another type belongs. */
    static List<JsonNode> wrongTypes() {
        ArrayNode array = NODES.arrayNode().add(1).add("a");
        ObjectNode object = NODES.objectNode();
        object.putObject("nested").put("deeper", true);
        return List.of(NODES.numberNode(0), NODES.numberNode(-1), NODES.numberNode(Long.MAX_VALUE),
                NODES.numberNode(new java.math.BigDecimal("1e400")), NODES.numberNode(new java.math.BigInteger(
                "123456789012345678901234567890")), NODES.numberNode(0.5), NODES.booleanNode(true),
                NODES.booleanNode(false), NODES.nullNode(), NODES.textNode("not-the-type"), NODES.arrayNode(),
                array, NODES.objectNode(), object);
    }

    /** A body and what was done to it, for the failure message. */
    record Case(String label, byte[] body) {

        static Case of(String label, String body) {
            return new Case(label, body.getBytes(StandardCharsets.UTF_8));
        }
    }

    private final Random random;

    FuzzInputs(long seed) {
        this.random = new Random(seed);
    }

    Random random() {
        return random;
    }

    /** {@code depth} levels of {@code [} or of {@code {"a":}, closed or left open. */
    static String nested(int depth, boolean objects, boolean closed) {
        StringBuilder text = new StringBuilder(depth * 6);
        text.append((objects ? "{\"a\":" : "[").repeat(depth)).append('1');
        if (closed) {
            text.append((objects ? "}" : "]").repeat(depth));
        }
        return text.toString();
    }

    /**
     * Bodies that are not the JSON they seem: truncated, with trailing garbage, a BOM, NUL bytes, invalid UTF-8,
     * the wrong top-level type, nested 10,000 deep (closed and not), a field over the body limit and one just
     * under it, duplicate keys; built around {@code sample} where it helps.
     */
    List<Case> malformed(String sample, int bodyLimit) {
        byte[] bytes = sample.getBytes(StandardCharsets.UTF_8);
        List<Case> cases = new ArrayList<>();
        cases.add(Case.of("truncated", sample.substring(0, Math.max(1, random.nextInt(Math.max(1, sample.length()))))));
        cases.add(Case.of("truncated inside an unknown object", "{\"fuzz\":{\"a\":[{\"b\":"));
        cases.add(Case.of("trailing garbage", sample + " }{ garbage"));
        cases.add(Case.of("two documents", sample + sample));
        cases.add(new Case("BOM", concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, bytes)));
        cases.add(new Case("raw NUL bytes", insert(bytes, new byte[] {0, 0}, random)));
        cases.add(new Case("invalid UTF-8", insert(bytes, new byte[] {(byte) 0xC3, (byte) 0x28, (byte) 0xFF,
                (byte) 0xFE}, random)));
        cases.add(new Case("overlong UTF-8 quote", concat("{\"a\":\"".getBytes(StandardCharsets.UTF_8),
                new byte[] {(byte) 0xC0, (byte) 0xA2, '"', '}'})));
        cases.add(Case.of("empty", ""));
        cases.add(Case.of("null", "null"));
        cases.add(Case.of("array", "[" + sample + "]"));
        cases.add(Case.of("string", "\"" + sample.replace("\"", "\\\"") + "\""));
        cases.add(Case.of("number", "1e99999"));
        cases.add(Case.of("10,000 [ closed", nested(10_000, false, true)));
        cases.add(Case.of("10,000 { open", nested(10_000, true, false)));
        cases.add(Case.of("10,000 { closed under a known key", sample.startsWith("{")
                ? "{\"name\":" + nested(10_000, true, true) + "," + sample.substring(1) : nested(10_000, true, true)));
        cases.add(Case.of("lone surrogate and NUL escapes", "{\"\\ud800\":\"\\u0000\",\"x\":\"\\udc00\\ud800\"}"));
        cases.add(Case.of("duplicate keys", sample.startsWith("{") && sample.length() > 2
                ? sample.substring(0, sample.length() - 1) + "," + sample.substring(1) : sample));
        cases.add(Case.of("over the body limit", "{\"fuzz\":\"" + "x".repeat(bodyLimit + 16) + "\"}"));
        cases.add(Case.of("a huge unknown field under the limit", sample.startsWith("{") ? "{\"fuzz\":\""
                + "y".repeat(bodyLimit - sample.length() - 64) + "\"," + sample.substring(1) : sample));
        return cases;
    }

    /**
     * Up to {@code max} variants of a valid body, each with one value (at any depth) replaced by a value of the
     * wrong type, a hostile string, a huge string or left out; chosen at random from all such variants.
     */
    List<Case> mutations(JsonNode sample, int max, int hugeLength) {
        List<Case> all = new ArrayList<>();
        List<String> paths = new ArrayList<>();
        collectPaths(sample, "", paths);
        for (String path : paths) {
            for (JsonNode wrong : wrongTypes()) {
                all.add(replaced(sample, path, wrong, path + " = " + wrong));
            }
            for (String hostile : HOSTILE_STRINGS) {
                all.add(replaced(sample, path, NODES.textNode(hostile), path + " = " + printable(hostile)));
            }
            all.add(replaced(sample, path, NODES.textNode("h".repeat(hugeLength)), path + " = huge string ("
                    + hugeLength + ")"));
            all.add(replaced(sample, path, null, path + " left out"));
        }
        Collections.shuffle(all, random);
        return List.copyOf(all.subList(0, Math.min(max, all.size())));
    }

    private Case replaced(JsonNode sample, String path, JsonNode value, String label) {
        JsonNode copy = sample.deepCopy();
        if (path.isEmpty()) {
            return new Case(label, write(value == null ? NODES.missingNode() : value));
        }
        int cut = path.lastIndexOf('/');
        JsonNode parent = copy.at(path.substring(0, cut));
        String key = path.substring(cut + 1);
        if (parent instanceof ObjectNode object) {
            if (value == null) {
                object.remove(key);
            } else {
                object.set(key, value);
            }
        } else if (parent instanceof ArrayNode array) {
            int index = Integer.parseInt(key);
            if (value == null) {
                array.remove(index);
            } else {
                array.set(index, value);
            }
        }
        return new Case(label, write(copy));
    }

    /** JSON text, non-ASCII escaped or not at random; escaped always when a string holds a lone surrogate. */
    byte[] write(JsonNode node) {
        boolean escape = random.nextBoolean() || hasLoneSurrogate(node);
        try {
            return (escape ? ESCAPING : PLAIN).writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean hasLoneSurrogate(JsonNode node) {
        if (node.isTextual()) {
            String text = node.textValue();
            for (int i = 0; i < text.length(); i++) {
                char c = text.charAt(i);
                if (Character.isHighSurrogate(c) && (i + 1 >= text.length()
                        || !Character.isLowSurrogate(text.charAt(i + 1)))) {
                    return true;
                }
                if (Character.isLowSurrogate(c) && (i == 0 || !Character.isHighSurrogate(text.charAt(i - 1)))) {
                    return true;
                }
            }
            return false;
        }
        for (Iterator<JsonNode> children = node.elements(); children.hasNext(); ) {
            if (hasLoneSurrogate(children.next())) {
                return true;
            }
        }
        return false;
    }

    /** JSON pointers of every value in the tree (the root excluded), depth first. */
    static void collectPaths(JsonNode node, String at, List<String> paths) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> field = fields.next();
                String path = at + "/" + field.getKey().replace("~", "~0").replace("/", "~1");
                paths.add(path);
                collectPaths(field.getValue(), path, paths);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                paths.add(at + "/" + i);
                collectPaths(node.get(i), at + "/" + i, paths);
            }
        }
    }

    /** Path segments that are not the ids they stand in for, already encoded for a request target. */
    static final List<String> ODD_SEGMENTS = List.of(
            "..%2f..%2f..%2fetc%2fpasswd",
            "%2e%2e%2f%2e%2e%2f",
            "..;",
            "%00",
            "a%00b",
            "%0d%0aX-Injected:%20yes",
            "%27%20OR%201=1%20--",
            "%27;DROP%20TABLE%20x;--",
            "not-a-uuid",
            "00000000-0000-0000-0000-000000000000",
            "ffffffff-ffff-ffff-ffff-ffffffffffff",
            "-1",
            "99999999999999999999999",
            "1.5",
            "%E2%80%AE",
            "%F0%9F%98%80",
            "%ED%A0%80",                       // a UTF-8-encoded lone surrogate
            "%C0%AE%C0%AE%C0%AF",              // overlong dots and slash
            "%ff%fe",
            "%25",
            "%u0041");

    /** {@code count} odd segments, always with a very long one. */
    List<String> oddSegments(int count) {
        List<String> shuffled = new ArrayList<>(ODD_SEGMENTS);
        Collections.shuffle(shuffled, random);
        List<String> picked = new ArrayList<>(shuffled.subList(0, Math.min(count - 1, shuffled.size())));
        picked.add("x".repeat(4000));
        return picked;
    }

    /** Query values for list endpoints' parameters. */
    static final List<String> ODD_QUERY_VALUES = List.of("-1", "0", "abc", "99999999999999999999", "1e3",
            "%00", "%27%20OR%201=1--", "not-a-date", "9999-99-99T99:99:99Z", "%0d%0aX-Injected:%20yes",
            "%ff", "x".repeat(3000), "", "00000000-0000-0000-0000-000000000000");

    static String printable(String text) {
        StringBuilder shown = new StringBuilder();
        for (char c : RawHttp.abbreviate(text, 40).toCharArray()) {
            shown.append(c >= 0x20 && c < 0x7F ? String.valueOf(c) : String.format("\\u%04x", (int) c));
        }
        return shown.toString();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(a);
        out.writeBytes(b);
        return out.toByteArray();
    }

    private static byte[] insert(byte[] into, byte[] what, Random random) {
        int at = into.length == 0 ? 0 : 1 + random.nextInt(Math.max(1, into.length - 1));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(into, 0, Math.min(at, into.length));
        out.writeBytes(what);
        out.write(into, Math.min(at, into.length), into.length - Math.min(at, into.length));
        return out.toByteArray();
    }

    static JsonNode parse(String json) {
        try {
            return PLAIN.readTree(json);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}
