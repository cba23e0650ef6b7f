/**
 * The one table from stable error code to HTTP status (seed 003's set: 400, 401, 403, 404, 409, 413,
 * 429, 500). Typed against the catalogue, so a new code without a status does not compile.
 */
import type { ErrorCode } from "../core/errors.ts";

export const ERROR_STATUS = {
  VALIDATION_FAILED: 400,
  INVALID_JSON: 400,
  PAYLOAD_TOO_LARGE: 413,
  UNAUTHENTICATED: 401,
  INVALID_CREDENTIALS: 401,
  FORBIDDEN: 403,
  RATE_LIMITED: 429,
  NOT_FOUND: 404,
  CONFLICT: 409,
  INTERNAL_ERROR: 500,
  FLOW_NOT_FOUND: 404,
  FLOW_INVALID: 400,
  EXECUTION_NOT_FOUND: 404,
  EXECUTION_FINISHED: 400, // seed 000: cancelling a finished execution is a bad request
  WEBHOOK_SIGNATURE_INVALID: 401,
  // The flow the caller authored is at fault, not the request transport: reported like FLOW_INVALID.
  ENGINE_LOOP_LIMIT: 400,
  ENGINE_INVALID_NODE: 400,
  ENGINE_NO_START_NODE: 400,
  // A published version that lacks its own node is corrupt stored state, never the caller's doing.
  ENGINE_NODE_NOT_FOUND: 500,
  // Seed 003 has no 502/504; an upstream failure surfaces as 500 with the stable code.
  HTTP_REQUEST_FAILED: 500,
  HTTP_TARGET_FORBIDDEN: 400,
  CHANNEL_SEND_FAILED: 500,
  CHANNEL_RATE_LIMITED: 429,
  CHANNEL_UNAVAILABLE: 500,
  WA_WINDOW_CLOSED: 409,
  WA_TEMPLATE_REQUIRED: 400,
  WA_RECIPIENT_UNAVAILABLE: 400,
} as const satisfies Record<ErrorCode, 400 | 401 | 403 | 404 | 409 | 413 | 429 | 500>;

export type ErrorStatus = (typeof ERROR_STATUS)[ErrorCode];

/** The HTTP status for a stable error code. */
export function getErrorStatus(code: ErrorCode): ErrorStatus {
  return ERROR_STATUS[code];
}
