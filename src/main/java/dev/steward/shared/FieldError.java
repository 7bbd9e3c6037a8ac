package dev.steward.shared;

/**
 * One invalid field of a request, named as the client wrote it ({@code slug}, {@code scopes[1]}).
 */
public record FieldError(String field, String message) {
}
