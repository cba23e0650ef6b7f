/**
 * The error catalogue: every stable code Parley returns or records, with what it means. The engine
 * and runtime carry codes only; the server maps code → HTTP status in one table. docs/errors.md
 * lists every code (a test keeps the two in step).
 */

export const ERROR_CATALOGUE = {
  VALIDATION_FAILED: "The request or the flow did not pass validation; the details name each problem.",
  INVALID_JSON: "The body is not valid JSON.",
  PAYLOAD_TOO_LARGE: "The body is larger than the route accepts.",
  UNAUTHENTICATED: "No valid session cookie or bearer token was presented.",
  INVALID_CREDENTIALS: "The username/password or clientId/apiKey pair is wrong.",
  FORBIDDEN: "The caller's role does not allow this action.",
  RATE_LIMITED: "Too many requests; retry after the time in the Retry-After header.",
  NOT_FOUND: "No such resource in this organization.",
  CONFLICT: "The resource changed since it was read (optimistic concurrency) or already exists.",
  INTERNAL_ERROR: "An unexpected error; it has been logged.",
  FLOW_NOT_FOUND: "No flow with that id in this organization.",
  FLOW_INVALID: "The flow graph failed validation.",
  EXECUTION_NOT_FOUND: "No execution with that id in this organization.",
  EXECUTION_FINISHED: "The execution has already finished.",
  WEBHOOK_SIGNATURE_INVALID: "The webhook signature is missing or does not match the app secret.",
  ENGINE_LOOP_LIMIT: "An event entered too many nodes without waiting; the flow loops.",
  ENGINE_NODE_NOT_FOUND: "The execution points at a node that is not in its flow version.",
  ENGINE_INVALID_NODE: "A node's data does not match its type's schema.",
  ENGINE_NO_START_NODE: "The flow has no start node that matches the trigger.",
  HTTP_REQUEST_FAILED: "An http_request node's call failed or timed out.",
  HTTP_TARGET_FORBIDDEN: "An http_request target resolves to a private, loopback or link-local address.",
  CHANNEL_SEND_FAILED: "The channel refused the message permanently.",
  CHANNEL_RATE_LIMITED: "The channel throttled sending; the message is retried later.",
  CHANNEL_UNAVAILABLE: "The channel could not be reached; the message is retried later.",
  WA_WINDOW_CLOSED: "The 24 h customer-service window is closed and no fallback template is configured.",
  WA_TEMPLATE_REQUIRED: "Outside the 24 h window only an approved template may be sent.",
  WA_RECIPIENT_UNAVAILABLE: "WhatsApp cannot deliver to this number (not on WhatsApp, blocked or opted out).",
} as const;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

/** An error with a stable code; thrown by services, mapped to a status by the server. */
export class ParleyError extends Error {
  readonly code: ErrorCode;
  readonly details?: unknown;

  constructor(code: ErrorCode, message?: string, details?: unknown) {
    super(message ?? ERROR_CATALOGUE[code]);
    this.name = "ParleyError";
    this.code = code;
    this.details = details;
  }
}
