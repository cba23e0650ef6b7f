import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { verifySubscription, verifyWebhookSignature } from "./verify.ts";

const VECTOR_BODY = readFileSync(resolve(import.meta.dirname, "fixtures/hmac-vector-body.txt"));
const SECRET = "test_app_secret_do_not_use";
const GOOD = "sha256=59af455c1b94578e9965ffc83e6f734fa53487a2a2b92f6a6181a0f8784c6957";

describe("verifyWebhookSignature", () => {
  const tampered = Buffer.from(VECTOR_BODY.toString("utf8").replace("15550002222", "15550002223"));
  const reserialised = Buffer.from(JSON.stringify(JSON.parse(VECTOR_BODY.toString("utf8"))));
  const cases: Array<[string, Buffer, string | undefined, string, boolean]> = [
    ["known-answer vector", VECTOR_BODY, GOOD, SECRET, true],
    ["upper-case hex", VECTOR_BODY, `sha256=${GOOD.slice(7).toUpperCase()}`, SECRET, true],
    ["tampered body", tampered, GOOD, SECRET, false],
    ["re-serialised JSON", reserialised, GOOD, SECRET, false],
    ["wrong secret", VECTOR_BODY, GOOD, "another_secret", false],
    ["missing header", VECTOR_BODY, undefined, SECRET, false],
    ["empty header", VECTOR_BODY, "", SECRET, false],
    ["malformed hex", VECTOR_BODY, `sha256=${"zz".repeat(32)}`, SECRET, false],
    ["short hex", VECTOR_BODY, GOOD.slice(0, -2), SECRET, false],
    ["long hex", VECTOR_BODY, `${GOOD}00`, SECRET, false],
    ["wrong prefix", VECTOR_BODY, GOOD.replace("sha256=", "sha1="), SECRET, false],
    ["no prefix", VECTOR_BODY, GOOD.slice(7), SECRET, false],
  ];
  it.each(cases)("%s", (_name, body, header, secret, expected) => {
    expect(verifyWebhookSignature(body, header, secret)).toBe(expected);
  });

  it("re-serialised body gives the documented wrong HMAC prefix", async () => {
    const { createHmac } = await import("node:crypto");
    expect(createHmac("sha256", SECRET).update(reserialised).digest("hex").startsWith("8bd09d55")).toBe(true);
  });
});

describe("verifySubscription", () => {
  const cases: Array<[string, Record<string, unknown>, ReturnType<typeof verifySubscription>]> = [
    [
      "valid",
      { "hub.mode": "subscribe", "hub.verify_token": "tok", "hub.challenge": "1158201444" },
      { ok: true, challenge: "1158201444" },
    ],
    [
      "wrong token",
      { "hub.mode": "subscribe", "hub.verify_token": "tok2", "hub.challenge": "1" },
      { ok: false },
    ],
    [
      "token prefix",
      { "hub.mode": "subscribe", "hub.verify_token": "to", "hub.challenge": "1" },
      { ok: false },
    ],
    [
      "wrong mode",
      { "hub.mode": "unsubscribe", "hub.verify_token": "tok", "hub.challenge": "1" },
      { ok: false },
    ],
    ["missing token", { "hub.mode": "subscribe", "hub.challenge": "1" }, { ok: false }],
    ["missing challenge", { "hub.mode": "subscribe", "hub.verify_token": "tok" }, { ok: false }],
    [
      "array token",
      { "hub.mode": "subscribe", "hub.verify_token": ["tok"], "hub.challenge": "1" },
      { ok: false },
    ],
    ["empty query", {}, { ok: false }],
  ];
  it.each(cases)("%s", (_name, query, expected) => {
    expect(verifySubscription(query, "tok")).toEqual(expected);
  });
});
