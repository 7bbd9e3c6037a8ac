package dev.steward.tools.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Remote tool names become catalog names a model provider and an agent's grant both accept, or none at all. */
class McpNamesTest {

    @Test
    void camelCaseAndForeignCharactersBecomeSnakeCase() {
        assertThat(McpNames.catalogName("crm", "getForecast")).contains("crm__get_forecast");
        assertThat(McpNames.catalogName("crm", "search_issues")).contains("crm__search_issues");
        assertThat(McpNames.catalogName("crm", "files.read")).contains("crm__files_read");
        assertThat(McpNames.catalogName("crm", "HTTPGet")).contains("crm__httpget");
        assertThat(McpNames.catalogName("crm", "__odd__name__")).contains("crm__odd_name");
        assertThat(McpNames.catalogName("my-crm", "do-it")).contains("my-crm__do-it");
    }

    @Test
    void aNameWithNothingLeftOrTooLongHasNoCatalogName() {
        assertThat(McpNames.catalogName("crm", "...")).isEmpty();
        assertThat(McpNames.catalogName("crm", "x".repeat(58))).contains("crm__" + "x".repeat(58));
        assertThat(McpNames.catalogName("crm", "x".repeat(59))).isEmpty();
    }

    @Test
    void theFirstDoubleUnderscoreNamesTheServer() {
        assertThat(McpNames.server("crm__get_forecast")).contains("crm");
        assertThat(McpNames.server("current_time")).isEqualTo(Optional.empty());
        assertThat(McpNames.source("crm__get_forecast")).isEqualTo("mcp:crm");
        assertThat(McpNames.source("sql_query")).isEqualTo("built-in");
        assertThat(McpNames.isRemote("http_get")).isFalse();
    }
}
