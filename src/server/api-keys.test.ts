import { describe, expect, it } from "vitest";
import { generateApiKey, generateClientId, hashApiKey, verifyApiKey } from "./api-keys.ts";

describe("api keys", () => {
  it("generates distinct prefixed keys and client ids", () => {
    const key = generateApiKey();
    expect(key).toMatch(/^sk_[A-Za-z0-9_-]{43}$/);
    expect(generateApiKey()).not.toBe(key);
    expect(generateClientId()).toMatch(/^parley_[0-9a-f]{24}$/);
  });

  it("stores a sha256 and verifies in constant time", () => {
    const key = generateApiKey();
    const stored = hashApiKey(key);
    expect(stored).toMatch(/^[0-9a-f]{64}$/);
    expect(verifyApiKey(key, stored)).toBe(true);
    expect(verifyApiKey(`${key}x`, stored)).toBe(false);
    expect(verifyApiKey(key, "deadbeef")).toBe(false);
  });

  it("matches a known-answer vector", () => {
    expect(hashApiKey("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });
});
