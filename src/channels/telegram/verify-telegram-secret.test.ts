import { describe, expect, it } from "vitest";
import { verifyTelegramSecret } from "./verify-telegram-secret.ts";

describe("verifyTelegramSecret", () => {
  it.each([
    { header: "s3cr3t_token-A", secret: "s3cr3t_token-A", expected: true },
    { header: "s3cr3t_token-a", secret: "s3cr3t_token-A", expected: false },
    { header: "s3cr3t_token-A ", secret: "s3cr3t_token-A", expected: false },
    { header: "short", secret: "s3cr3t_token-A", expected: false },
    { header: "", secret: "s3cr3t_token-A", expected: false },
    { header: undefined, secret: "s3cr3t_token-A", expected: false },
    { header: "", secret: "", expected: false },
    { header: "x".repeat(256), secret: "x".repeat(256), expected: true },
  ])("header $header vs secret $secret → $expected", ({ header, secret, expected }) => {
    expect(verifyTelegramSecret(header, secret)).toBe(expected);
  });
});
