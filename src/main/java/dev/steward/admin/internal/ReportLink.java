package dev.steward.admin.internal;

import java.util.List;

/**
 * A report on the reports page: its name, what it answers (its header's first sentence), the variables it reads and
 * the link that downloads it as CSV with the form's values. Public, for the page's expressions.
 */
public record ReportLink(String name, String description, List<String> variables, String href) {
}
