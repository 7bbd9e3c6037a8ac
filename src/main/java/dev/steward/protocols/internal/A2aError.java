package dev.steward.protocols.internal;

/** A JSON-RPC error an A2A request is answered with: A2A's codes, and a message the client may show. */
final class A2aError extends Exception {

    static final int PARSE_ERROR = -32700;
    static final int INVALID_REQUEST = -32600;
    static final int METHOD_NOT_FOUND = -32601;
    static final int INVALID_PARAMS = -32602;
    static final int INTERNAL_ERROR = -32603;
    static final int TASK_NOT_FOUND = -32001;
    static final int TASK_NOT_CANCELABLE = -32002;
    static final int UNSUPPORTED_OPERATION = -32004;
    static final int CONTENT_TYPE_NOT_SUPPORTED = -32005;
    static final int VERSION_NOT_SUPPORTED = -32009;

    final int code;

    A2aError(int code, String message) {
        super(message, null, false, false);
        this.code = code;
    }
}
