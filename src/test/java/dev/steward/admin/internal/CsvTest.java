package dev.steward.admin.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** CSV as RFC 4180 has it, NULL as psql writes it, and text cells that a spreadsheet would run kept as text. */
class CsvTest {

    @Test
    void quotesWhatNeedsQuotingAndDefusesFormulasInTextOnly() throws IOException {
        ReportTable table = new ReportTable(List.of("session_id", "note", "cost"), List.of(false, false, true),
                List.of(Arrays.asList("=HYPERLINK(\"x\")", "a, b", "-1.50"),
                        Arrays.asList("@sum", "line\r\nbreak", null),
                        Arrays.asList("+1", "say \"hi\"", "0.300000"),
                        Arrays.asList("-2", "", "2")));
        StringWriter out = new StringWriter();
        Csv.write(table, out);
        assertThat(out.toString()).isEqualTo("session_id,note,cost\r\n"
                + "\"'=HYPERLINK(\"\"x\"\")\",\"a, b\",-1.50\r\n"
                + "'@sum,\"line\r\nbreak\",\r\n"
                + "'+1,\"say \"\"hi\"\"\",0.300000\r\n"
                + "'-2,,2\r\n");
    }
}
