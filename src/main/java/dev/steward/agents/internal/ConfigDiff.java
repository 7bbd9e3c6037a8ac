package dev.steward.agents.internal;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * What changed between two configurations, field by field: JSON Pointer paths into objects, arrays compared whole
 * (a list of tools or capabilities reads better replaced than as index shuffles).
 */
final class ConfigDiff {

    /** One difference; {@code from} is absent for an added field, {@code to} for a removed one. */
    public record Change(String path, String op, JsonValue from, JsonValue to) {
    }

    private ConfigDiff() {
    }

    static List<Change> between(JsonObject from, JsonObject to) {
        List<Change> changes = new ArrayList<>();
        compare("", from, to, changes);
        return changes;
    }

    private static void compare(String path, JsonObject from, JsonObject to, List<Change> changes) {
        TreeSet<String> keys = new TreeSet<>(from.keySet());
        keys.addAll(to.keySet());
        for (String key : keys) {
            String child = path + "/" + key.replace("~", "~0").replace("/", "~1");
            JsonValue before = from.get(key);
            JsonValue after = to.get(key);
            if (before == null) {
                changes.add(new Change(child, "added", null, after));
            } else if (after == null) {
                changes.add(new Change(child, "removed", before, null));
            } else if (before instanceof JsonObject a && after instanceof JsonObject b) {
                compare(child, a, b, changes);
            } else if (!before.equals(after)) {
                changes.add(new Change(child, "changed", before, after));
            }
        }
    }
}
