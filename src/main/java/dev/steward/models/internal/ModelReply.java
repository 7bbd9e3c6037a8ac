package dev.steward.models.internal;

/** What a model answered, with the tokens it counted. */
record ModelReply(String text, int inputTokens, int outputTokens) {
}
