package dev.steward.models.internal;

import dev.steward.shared.FieldError;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.PatternSyntaxException;

/**
 * {@code PUT /api/v1/masking-patterns}: a tenant's own kinds of personal data, replacing those it had. A name is the
 * placeholder's kind ({@code EMPLOYEE_ID} masks as {@code [EMPLOYEE_ID_1]}); a pattern is a Java regular expression.
 */
public record MaskingPatterns(@NotNull @Size(max = 20) List<@NotNull @Valid Entry> patterns) {

    /** The built-in kinds, which a tenant's names must not shadow. */
    static final Set<String> BUILT_IN = Set.of("EMAIL", "IBAN", "CARD", "SSN", "NINO", "PHONE");

    public record Entry(@NotNull String name, @NotNull @Size(min = 1, max = 500) String pattern) {
    }

    /**
     * Checks beyond the annotations, all reported together: names well-formed, unique and not built in; patterns that
     * compile and match no empty text.
     */
    List<FieldError> problems() {
        List<FieldError> errors = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < patterns.size(); i++) {
            Entry entry = patterns.get(i);
            if (!entry.name().matches("[A-Z][A-Z0-9_]{0,31}")) {
                errors.add(new FieldError("patterns[" + i + "].name", "must be capital letters, digits and"
                        + " underscores, starting with a letter, at most 32"));
            } else if (BUILT_IN.contains(entry.name())) {
                errors.add(new FieldError("patterns[" + i + "].name", "is a built-in kind"));
            } else if (!names.add(entry.name())) {
                errors.add(new FieldError("patterns[" + i + "].name", "is named twice"));
            }
            try {
                if (java.util.regex.Pattern.compile(entry.pattern()).matcher("").matches()) {
                    errors.add(new FieldError("patterns[" + i + "].pattern", "must not match empty text"));
                }
            } catch (PatternSyntaxException e) {
                errors.add(new FieldError("patterns[" + i + "].pattern", "is not a valid regular expression: "
                        + e.getDescription()));
            }
        }
        return errors;
    }
}
