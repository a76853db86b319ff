/**
 * AWS's limits on WebSocket APIs ([D] API Gateway Developer Guide, "Quotas for configuring and
 * running a WebSocket API in API Gateway"): none of them can be raised.
 */

/** "Message payload size: 128 KB": a larger message closes the connection with 1009. PostToConnection's `Data` has the same bound (botocore: blob max 131072). */
export const MESSAGE_PAYLOAD_MAX_BYTES = 128 * 1024;

/**
 * "WebSocket frame size: 32 KB": messages over 32 KB travel as several frames of 32 KB or less,
 * `@connections` messages included. Stratus sends what it sends in frames of this size.
 */
export const FRAME_MAX_BYTES = 32 * 1024;

/** "Idle Connection Timeout: 10 minutes". */
export const IDLE_TIMEOUT_MS = 10 * 60 * 1000;

/** "Connection duration for WebSocket API: 2 hours". */
export const CONNECTION_DURATION_MS = 2 * 60 * 60 * 1000;

/** "Integration timeout: 50 milliseconds - 29 seconds for all integration types": the default, and the most TimeoutInMillis may ask. */
export const INTEGRATION_TIMEOUT_MS = 29_000;

/** "AWS Lambda authorizer result size: 8 KB". */
export const AUTHORIZER_RESULT_MAX_BYTES = 8 * 1024;
