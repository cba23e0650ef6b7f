import { describe, expect, it } from "vitest";
import { classifyGraphError, classifyNetworkError } from "./errors.ts";

function graphError(code: number | string, message = "(#x) boom", details?: string): unknown {
  return { error: { message, type: "OAuthException", code, error_data: { details }, fbtrace_id: "t" } };
}

describe("classifyGraphError", () => {
  const cases: Array<[string, number, unknown, string | null, Record<string, unknown>]> = [
    [
      "131047 window closed",
      400,
      graphError(131047),
      null,
      { retryable: false, code: "WA_WINDOW_CLOSED", providerCode: "131047" },
    ],
    [
      "131056 pair rate limit",
      400,
      graphError(131056),
      null,
      { retryable: true, code: "CHANNEL_RATE_LIMITED", scope: "contact", retryAfterMs: 6000 },
    ],
    [
      "130429 throughput",
      400,
      graphError(130429),
      null,
      { retryable: true, code: "CHANNEL_RATE_LIMITED", scope: "channel", providerCode: "130429" },
    ],
    [
      "130429 with Retry-After",
      429,
      graphError(130429),
      "3",
      { retryable: true, scope: "channel", retryAfterMs: 3000 },
    ],
    ["80007 WABA limit", 400, graphError(80007), null, { retryable: true, code: "CHANNEL_RATE_LIMITED" }],
    [
      "4 app limit",
      400,
      graphError(4),
      null,
      { retryable: true, code: "CHANNEL_RATE_LIMITED", scope: "channel" },
    ],
    ["code as string", 400, graphError("130429"), null, { retryable: true, providerCode: "130429" }],
    ["131000 generic", 500, graphError(131000), null, { retryable: true, code: "CHANNEL_UNAVAILABLE" }],
    ["2 service down", 503, graphError(2), null, { retryable: true, code: "CHANNEL_UNAVAILABLE" }],
    ["131016 unavailable", 400, graphError(131016), null, { retryable: true, code: "CHANNEL_UNAVAILABLE" }],
    [
      "131057 maintenance",
      400,
      graphError(131057),
      null,
      { retryable: true, code: "CHANNEL_UNAVAILABLE", retryAfterMs: 60000 },
    ],
    ["500 without body", 500, "oops", null, { retryable: true, code: "CHANNEL_UNAVAILABLE" }],
    ["502 html", 502, "<html>", null, { retryable: true, code: "CHANNEL_UNAVAILABLE" }],
    ["429 without code", 429, {}, "2", { retryable: true, code: "CHANNEL_RATE_LIMITED", retryAfterMs: 2000 }],
    [
      "131026 undeliverable",
      400,
      graphError(131026),
      null,
      { retryable: false, code: "WA_RECIPIENT_UNAVAILABLE" },
    ],
    [
      "131050 opted out",
      400,
      graphError(131050),
      null,
      { retryable: false, code: "WA_RECIPIENT_UNAVAILABLE" },
    ],
    [
      "190 token expired",
      401,
      graphError(190),
      null,
      { retryable: false, code: "CHANNEL_SEND_FAILED", scope: "channel", providerCode: "190" },
    ],
    ["100 invalid parameter", 400, graphError(100), null, { retryable: false, code: "CHANNEL_SEND_FAILED" }],
    [
      "132001 template missing",
      400,
      graphError(132001),
      null,
      { retryable: false, code: "CHANNEL_SEND_FAILED" },
    ],
    ["131009 bad value", 400, graphError(131009), null, { retryable: false, code: "CHANNEL_SEND_FAILED" }],
    ["unknown 4xx", 404, null, null, { retryable: false, code: "CHANNEL_SEND_FAILED" }],
    ["unknown code on 500", 500, graphError(999999), null, { retryable: true, code: "CHANNEL_UNAVAILABLE" }],
  ];
  it.each(cases)("%s", (_name, status, body, retryAfter, expected) => {
    const outcome = classifyGraphError(status, body, retryAfter);
    expect(outcome.ok).toBe(false);
    expect(outcome).toMatchObject(expected);
    expect(typeof outcome.message).toBe("string");
  });

  it("never sets retryAfterMs on permanent failures", () => {
    expect(classifyGraphError(400, graphError(131047), "10").retryAfterMs).toBeUndefined();
  });

  it("joins message and details", () => {
    const outcome = classifyGraphError(400, graphError(131047, "(#131047) Re-engagement", "24 h passed"));
    expect(outcome.message).toBe("(#131047) Re-engagement — 24 h passed");
  });

  it("reads an HTTP-date Retry-After", () => {
    const later = new Date(Date.now() + 5_000).toUTCString();
    const outcome = classifyGraphError(429, {}, later);
    expect(outcome.retryAfterMs).toBeGreaterThan(3_000);
    expect(outcome.retryAfterMs).toBeLessThanOrEqual(5_000);
  });
});

describe("classifyNetworkError", () => {
  it.each([
    ["timeout", new DOMException("The operation was aborted due to timeout", "TimeoutError"), /within 50 ms/],
    ["refused", Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }), /unreachable/],
    ["string", "boom", /unreachable: boom/],
  ])("%s → retryable CHANNEL_UNAVAILABLE", (_name, error, message) => {
    const outcome = classifyNetworkError(error, 50);
    expect(outcome).toMatchObject({ ok: false, retryable: true, code: "CHANNEL_UNAVAILABLE" });
    expect(outcome.message).toMatch(message);
  });
});
