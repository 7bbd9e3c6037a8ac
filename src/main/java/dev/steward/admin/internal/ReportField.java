package dev.steward.admin.internal;

/**
 * A field of the reports page's form: a variable of the reports, the value given, and what applies when none is
 * (shown as the field's placeholder). Public, for the page's expressions.
 */
public record ReportField(String name, String value, String placeholder) {

    /** The input's type: a date picker for the variables that are dates. */
    public String type() {
        return name.equals("from") || name.equals("to") || name.equals("day") ? "date" : "text";
    }
}
