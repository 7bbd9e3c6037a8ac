package dev.steward.models.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class PiiMaskerTest {

    private final PiiMasker masker = new PiiMasker(List.of());

    @Test
    void cardsThatPassLuhnAreMaskedAndOtherLongNumbersAreNot() {
        PiiMasker.Masked masked = masker.mask("Pay with 4111 1111 1111 1111, order 4111 1111 1111 1112.");

        assertThat(masked.text()).isEqualTo("Pay with [CARD_1], order 4111 1111 1111 1112.");
        assertThat(masked.counts()).containsEntry("CARD", 1);
    }

    @Test
    void aValueRunningIntoTheNextTokenIsStillMasked() {
        assertThat(masker.mask("Card 4111 1111 1111 1111 12/26 please").text())
                .isEqualTo("Card [CARD_1] 12/26 please");
        assertThat(masker.mask("Call 555-123-4567 555-987-6543 now").text())
                .isEqualTo("Call [PHONE_1] [PHONE_2] now");
    }

    @Test
    void longRunsWithoutPersonalDataAreLeftAsTheyAre() {
        String hex = "a1b2c3d4".repeat(5_000);
        assertThat(masker.mask(hex).text()).isEqualTo(hex);
    }

    @Test
    void emailsIbansAndNationalIdsAreMasked() {
        PiiMasker.Masked masked = masker.mask("Write to jane.doe@example.co.uk, IBAN GB82 WEST 1234 5698 7654 32,"
                + " SSN 123-45-6789, NINO AB 12 34 56 C.");

        assertThat(masked.text()).isEqualTo("Write to [EMAIL_1], IBAN [IBAN_1], SSN [SSN_1], NINO [NINO_1].");
    }

    @Test
    void anIbanWithAWrongCheckIsLeftAlone() {
        assertThat(masker.mask("IBAN GB83 WEST 1234 5698 7654 32").text()).contains("GB83 WEST");
    }

    @Test
    void phoneNumbersAreMaskedButShortNumbersAndDatesStay() {
        PiiMasker.Masked masked = masker.mask("Call +44 20 7946 0958 about invoice 2024-11, room 12.");

        assertThat(masked.text()).isEqualTo("Call [PHONE_1] about invoice 2024-11, room 12.");
    }

    @Test
    void oneValueIsOnePlaceholderAndTheReplyGetsTheValuesBack() {
        PiiMasker.Masked masked = masker.mask("a@b.io wrote to c@d.io and again to a@b.io");

        assertThat(masked.text()).isEqualTo("[EMAIL_1] wrote to [EMAIL_2] and again to [EMAIL_1]");
        assertThat(masked.counts()).containsEntry("EMAIL", 2);
        assertThat(masked.restore("Reply to [EMAIL_1], copy [EMAIL_2], not [EMAIL_9]."))
                .isEqualTo("Reply to a@b.io, copy c@d.io, not [EMAIL_9].");
    }

    @Test
    void tenantPatternsAreMaskedUnderTheirOwnKind() {
        PiiMasker tenant = new PiiMasker(List.of(new PiiMasker.CustomPattern("customer",
                Pattern.compile("CUST-\\d{6}"))));

        assertThat(tenant.mask("Customer CUST-004211 called").text()).isEqualTo("Customer [CUSTOMER_1] called");
    }

    @Test
    void aTenantPatternThatMatchesEmptyTextMovesOnAndMasksWhatItDoesMatch() {
        PiiMasker tenant = new PiiMasker(List.of(new PiiMasker.CustomPattern("code",
                Pattern.compile("\\b(?:K-\\d{3})?"))));

        assertThat(tenant.mask("code K-123 and more words").text()).isEqualTo("code [CODE_1] and more words");
    }

    @Test
    void aTenantPatternThatRunsAwayStopsMaskingInsteadOfLettingTheTextThrough() {
        PiiMasker tenant = new PiiMasker(List.of(new PiiMasker.CustomPattern("slow",
                Pattern.compile("((a+)+)+b"))));

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> tenant.mask("a".repeat(40) + "!"))
                .isInstanceOf(PiiMasker.PatternTooSlow.class).hasMessageContaining("SLOW");
    }

    @Test
    void whatWasMaskedIsReportedByKindAndCountNeverByValue() {
        PiiMasker.Masked masked = masker.mask("Card 5555 5555 5555 4444 for bob@example.com");

        assertThat(masked.counts()).containsOnlyKeys("CARD", "EMAIL");
        assertThat(masked.counts().toString()).doesNotContain("5555").doesNotContain("bob");
        assertThat(masked.text()).doesNotContain("5555").doesNotContain("bob@");
    }

    @Test
    void textWithoutPersonalDataIsUnchanged() {
        String text = "Summarise the Q3 report in 3 bullet points, 200 words at most.";
        assertThat(masker.mask(text).text()).isEqualTo(text);
        assertThat(masker.mask(text).placeholders()).isEmpty();
    }
}
