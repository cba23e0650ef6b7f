/**
 * Turns a failed Graph API call into a SendOutcome: retry now, later, or never, and what to slow
 * down. Decisions key on the Graph error code (Meta's advice), the HTTP status only as a fallback.
 */
import type { SendOutcome } from "../../core/channel.ts";
import { isRecord } from "./json-read.ts";

export type SendFailure = Extract<SendOutcome, { ok: false }>;

type Rule = Pick<SendFailure, "retryable" | "code" | "scope"> & { defaultRetryAfterMs?: number };

const RATE_LIMITED_CHANNEL: Rule = {
  retryable: true,
  code: "CHANNEL_RATE_LIMITED",
  scope: "channel",
  defaultRetryAfterMs: 1_000,
};
const UNAVAILABLE: Rule = { retryable: true, code: "CHANNEL_UNAVAILABLE", scope: "message" };
const RECIPIENT_UNAVAILABLE: Rule = { retryable: false, code: "WA_RECIPIENT_UNAVAILABLE", scope: "message" };
const ACCOUNT_FAILURE: Rule = { retryable: false, code: "CHANNEL_SEND_FAILED", scope: "channel" };
const PERMANENT: Rule = { retryable: false, code: "CHANNEL_SEND_FAILED", scope: "message" };

/** Graph error codes with a known meaning (fact sheet §7); anything else falls back on the HTTP status. */
const RULES_BY_CODE: ReadonlyMap<number, Rule> = new Map<number, Rule>([
  [131047, { retryable: false, code: "WA_WINDOW_CLOSED", scope: "message" }],
  [131056, { retryable: true, code: "CHANNEL_RATE_LIMITED", scope: "contact", defaultRetryAfterMs: 6_000 }],
  [130429, RATE_LIMITED_CHANNEL],
  [80007, RATE_LIMITED_CHANNEL],
  [4, RATE_LIMITED_CHANNEL],
  [1, UNAVAILABLE],
  [2, UNAVAILABLE],
  [131000, UNAVAILABLE],
  [131016, UNAVAILABLE],
  [131057, { retryable: true, code: "CHANNEL_UNAVAILABLE", scope: "channel", defaultRetryAfterMs: 60_000 }],
  [131026, RECIPIENT_UNAVAILABLE],
  [131050, RECIPIENT_UNAVAILABLE],
  [0, ACCOUNT_FAILURE],
  [10, ACCOUNT_FAILURE],
  [190, ACCOUNT_FAILURE],
  [368, ACCOUNT_FAILURE],
  [131005, ACCOUNT_FAILURE],
  [131031, ACCOUNT_FAILURE],
  [131042, ACCOUNT_FAILURE],
  [131048, ACCOUNT_FAILURE],
  [133010, ACCOUNT_FAILURE],
]);

/** Classifies a non-2xx Graph API answer by its `error.code`, then by HTTP status. */
export function classifyGraphError(
  httpStatus: number,
  body: unknown,
  retryAfter?: string | null,
): SendFailure {
  const error = readGraphError(body);
  const rule =
    (error.code === undefined ? undefined : RULES_BY_CODE.get(error.code)) ?? ruleForStatus(httpStatus);
  const retryAfterMs = parseRetryAfter(retryAfter) ?? rule.defaultRetryAfterMs;
  const failure: SendFailure = {
    ok: false,
    retryable: rule.retryable,
    code: rule.code,
    message: error.message ?? `Graph API answered HTTP ${httpStatus}`,
  };
  if (error.code !== undefined) failure.providerCode = String(error.code);
  if (rule.scope) failure.scope = rule.scope;
  if (rule.retryable && retryAfterMs !== undefined) failure.retryAfterMs = retryAfterMs;
  return failure;
}

/** Classifies a request that got no HTTP answer (connection refused, reset, timeout): retry later. */
export function classifyNetworkError(error: unknown, timeoutMs?: number): SendFailure {
  const timedOut = isTimeout(error);
  const detail = error instanceof Error ? error.message : String(error);
  return {
    ok: false,
    retryable: true,
    code: "CHANNEL_UNAVAILABLE",
    message: timedOut
      ? `Graph API did not answer within ${timeoutMs ?? "the"} ms`
      : `Graph API unreachable: ${detail}`,
    scope: "message",
  };
}

/** Thrown by calls that have no SendOutcome to return (media download, mark as read). */
export class GraphRequestError extends Error {
  readonly outcome: SendFailure;

  constructor(outcome: SendFailure) {
    super(outcome.message);
    this.name = "GraphRequestError";
    this.outcome = outcome;
  }
}

function ruleForStatus(httpStatus: number): Rule {
  if (httpStatus === 429) return RATE_LIMITED_CHANNEL;
  if (httpStatus >= 500 || httpStatus === 0) return UNAVAILABLE;
  if (httpStatus === 401) return ACCOUNT_FAILURE;
  return PERMANENT;
}

function readGraphError(body: unknown): { code?: number; message?: string } {
  const error = isRecord(body) && isRecord(body.error) ? body.error : undefined;
  if (!error) return {};
  const rawCode = typeof error.code === "string" ? Number(error.code) : error.code;
  const code = typeof rawCode === "number" && Number.isInteger(rawCode) ? rawCode : undefined;
  const details = isRecord(error.error_data) ? error.error_data.details : undefined;
  const parts = [error.message, details].filter(
    (part): part is string => typeof part === "string" && part !== "",
  );
  return { code, message: parts.length > 0 ? parts.join(" — ") : undefined };
}

/** Retry-After is either delay-seconds or an HTTP date (RFC 9110 §10.2.3). */
function parseRetryAfter(value: string | null | undefined): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function isTimeout(error: unknown): boolean {
  if (!isRecord(error)) return false;
  const code = typeof error.code === "string" ? error.code : "";
  return (
    error.name === "TimeoutError" || code === "UND_ERR_HEADERS_TIMEOUT" || code === "UND_ERR_BODY_TIMEOUT"
  );
}
