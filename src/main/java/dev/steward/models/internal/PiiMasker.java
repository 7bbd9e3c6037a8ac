package dev.steward.models.internal;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Masks personal data in text before it leaves the platform for a model provider: e-mail addresses, IBANs (checked
 * with mod 97), payment card numbers (checked with Luhn, so order numbers stay), US social security and UK national
 * insurance numbers, the tenant's own patterns, and phone numbers. Each distinct value becomes a placeholder such as
 * {@code [EMAIL_1]} (the same value, the same placeholder), which {@link Masked#restore} puts back in a reply. What
 * was masked is reported by kind and count only, never by value.
 */
final class PiiMasker {

    /** A tenant-defined kind of personal data: a name for its placeholders and a pattern. */
    record CustomPattern(String kind, Pattern pattern) {
    }

    /** Masked text, the placeholders to restore, and how many values of each kind were masked. */
    record Masked(String text, Map<String, String> placeholders, Map<String, Integer> counts) {

        /** The reply with placeholders put back; unknown placeholders are left as they are. */
        String restore(String reply) {
            String restored = reply;
            for (Map.Entry<String, String> placeholder : placeholders.entrySet()) {
                restored = restored.replace(placeholder.getKey(), placeholder.getValue());
            }
            return restored;
        }
    }

    /**
     * How a match that fails its check may still hold a value: a checksummed one ({@code PREFIX}) is looked for
     * among its prefixes; a phone number ({@code CHUNK}) among its leading space-free chunks (two numbers in a row).
     */
    private enum Shrink { NONE, PREFIX, CHUNK }

    /** {@code timeBoxed}: a tenant's pattern, stopped if it runs too long on a text (catastrophic backtracking). */
    private record Detector(String kind, Pattern pattern, Predicate<String> valid, Shrink shrink, boolean timeBoxed) {

        Detector(String kind, Pattern pattern, Predicate<String> valid, Shrink shrink) {
            this(kind, pattern, valid, shrink, false);
        }
    }

    /** How long a conversation's tenant patterns may search, in all (one budget for a whole call). */
    private static final long PATTERN_BUDGET_NANOS = 250_000_000L;

    /**
     * A tenant's pattern ran past its budget on a text: the text cannot be known to be masked, so it must not leave.
     */
    static final class PatternTooSlow extends RuntimeException {
        PatternTooSlow(String kind) {
            super("The masking pattern " + kind + " took too long on the prompt; nothing was sent");
        }
    }

    /** Text that stops a search once its deadline has passed (checked every 1024 characters read). */
    private record TimeBoxed(CharSequence text, long deadline, String kind, int[] reads) implements CharSequence {

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public char charAt(int index) {
            if ((++reads[0] & 0x3FF) == 0 && System.nanoTime() > deadline) {
                throw new PatternTooSlow(kind);
            }
            return text.charAt(index);
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new TimeBoxed(text.subSequence(start, end), deadline, kind, reads);
        }

        @Override
        public String toString() {
            return text.toString();
        }
    }

    private static final List<Detector> BUILT_IN = List.of(
            new Detector("EMAIL",
                    // Anchored on the left, so a long run of name characters without an @ is scanned once.
                    Pattern.compile("(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+"
                            + "(?:\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}"),
                    value -> true, Shrink.NONE),
            new Detector("IBAN", Pattern.compile("\\b[A-Z]{2}\\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?\\b"),
                    PiiMasker::validIban, Shrink.PREFIX),
            // Never starting inside a longer number (after a digit and a separator).
            new Detector("CARD", Pattern.compile("(?<!\\d)(?<!\\d[ -])\\d(?:[ -]?\\d){12,18}\\b"), PiiMasker::luhn,
                    Shrink.PREFIX),
            new Detector("SSN", Pattern.compile("\\b(?!000|666|9\\d\\d)\\d{3}-(?!00)\\d{2}-(?!0000)\\d{4}\\b"),
                    value -> true, Shrink.NONE),
            new Detector("NINO",
                    Pattern.compile("\\b[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z] ?\\d{2} ?\\d{2} ?\\d{2} ?[A-D]\\b"),
                    value -> true, Shrink.NONE));
    private static final Detector PHONE = new Detector("PHONE",
            Pattern.compile("(?<![\\w\\[])\\+?\\d[\\d ().-]{6,}\\d(?![\\w\\]])"),
            value -> isPhoneLength(value.replaceAll("\\D", "").length()), Shrink.CHUNK);

    private final List<Detector> detectors;

    PiiMasker(List<CustomPattern> tenantPatterns) {
        List<Detector> all = new ArrayList<>(BUILT_IN);
        tenantPatterns.forEach(custom -> all.add(new Detector(custom.kind().toUpperCase(Locale.ROOT),
                custom.pattern(), value -> !value.isEmpty(), Shrink.NONE, true)));
        all.add(PHONE); // last: the broadest, after every number with a stricter shape has been masked
        this.detectors = List.copyOf(all);
    }

    /** Masks one text on its own. */
    Masked mask(String text) {
        Conversation conversation = conversation();
        String masked = conversation.mask(text);
        return new Masked(masked, conversation.placeholders, conversation.counts);
    }

    /** Masks several texts (a conversation's messages) so that a value has one placeholder across all of them. */
    Conversation conversation() {
        return new Conversation();
    }

    /** The placeholders handed out so far in one conversation. */
    final class Conversation {

        private final Map<String, String> byValue = new LinkedHashMap<>();
        private final Map<String, String> placeholders = new LinkedHashMap<>();
        private final Map<String, Integer> counts = new TreeMap<>();
        private final long deadline = System.nanoTime() + PATTERN_BUDGET_NANOS;

        String mask(String text) {
            String masked = text;
            for (Detector detector : detectors) {
                masked = mask(masked, detector);
            }
            return masked;
        }

        /** The reply with this conversation's placeholders put back. */
        String restore(String reply) {
            return new Masked("", placeholders, counts).restore(reply);
        }

        /** How many values of each kind were masked, never which. */
        Map<String, Integer> counts() {
            return Map.copyOf(counts);
        }

        /**
         * Masks what the detector finds. A match that fails its check (a card number's Luhn digit, a phone's
         * length) may have run into the next token, as in "4111 1111 1111 1111 12/26" or two phone numbers in a
         * row: its prefixes are tried, first those ending before a space, longest first.
         */
        private String mask(String text, Detector detector) {
            Matcher matcher = detector.pattern().matcher(detector.timeBoxed()
                    ? new TimeBoxed(text, deadline, detector.kind(), new int[1]) : text);
            StringBuilder out = new StringBuilder();
            int copied = 0;
            int from = 0;
            while (from < text.length() && matcher.find(from)) {
                int start = matcher.start();
                int end = validEnd(text, start, matcher.end(), detector);
                if (end < 0) {
                    // Nothing in this run is a value of the kind: none of its parts is looked at again as one (and
                    // an empty match, which a tenant's pattern can make, moves on by a character).
                    from = Math.max(matcher.end(), start + 1);
                    continue;
                }
                String value = text.substring(start, end);
                String placeholder = byValue.computeIfAbsent(detector.kind() + "\u0000" + value, key -> {
                    int number = counts.merge(detector.kind(), 1, Integer::sum);
                    String name = "[" + detector.kind() + "_" + number + "]";
                    placeholders.put(name, value);
                    return name;
                });
                out.append(text, copied, start).append(placeholder);
                copied = end;
                from = end;
            }
            return out.append(text, copied, text.length()).toString();
        }
    }

    /** Where the longest valid value starting at {@code start} ends, or -1. */
    private static int validEnd(String text, int start, int end, Detector detector) {
        if (detector.valid().test(text.substring(start, end))) {
            return end;
        }
        if (detector.shrink() == Shrink.NONE) {
            return -1;
        }
        boolean chunks = detector.shrink() == Shrink.CHUNK;
        for (boolean beforeSpace : chunks ? new boolean[] {true} : new boolean[] {true, false}) {
            for (int candidate = end - 1; candidate > start; candidate--) {
                boolean fits = !beforeSpace || Character.isWhitespace(text.charAt(candidate));
                String value = text.substring(start, candidate);
                if (fits && Character.isLetterOrDigit(text.charAt(candidate - 1))
                        && !(chunks && value.chars().anyMatch(Character::isWhitespace))
                        && detector.pattern().matcher(value).matches() && detector.valid().test(value)) {
                    return candidate;
                }
            }
        }
        return -1;
    }

    /** 8 digits at least (shorter numbers are quantities, years, rooms), 15 at most (E.164). */
    private static boolean isPhoneLength(int digits) {
        return digits >= 8 && digits <= 15;
    }

    /** The Luhn check digit test of payment card numbers. */
    static boolean luhn(String value) {
        String digits = value.replaceAll("\\D", "");
        int sum = 0;
        for (int i = 0; i < digits.length(); i++) {
            int digit = digits.charAt(digits.length() - 1 - i) - '0';
            if (i % 2 == 1) {
                digit *= 2;
                if (digit > 9) {
                    digit -= 9;
                }
            }
            sum += digit;
        }
        return digits.length() >= 13 && sum % 10 == 0;
    }

    /** ISO 13616: move the first four characters to the end, letters to numbers, the remainder mod 97 must be 1. */
    static boolean validIban(String value) {
        String iban = value.replace(" ", "");
        if (iban.length() < 15 || iban.length() > 34) {
            return false;
        }
        StringBuilder numeric = new StringBuilder();
        for (char c : (iban.substring(4) + iban.substring(0, 4)).toCharArray()) {
            numeric.append(Character.isDigit(c) ? String.valueOf(c) : String.valueOf(c - 'A' + 10));
        }
        return new BigInteger(numeric.toString()).mod(BigInteger.valueOf(97)).intValue() == 1;
    }
}
