/**
 * API client credentials: a random clientId and apiKey, the key shown once and stored only as its
 * SHA-256 (keys are 256-bit random, so a slow hash adds nothing), compared in constant time.
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

const KEY_PREFIX = "sk_";
const CLIENT_PREFIX = "parley_";

/** A new API key (`sk_` + 43 base64url characters); show it once, store hashApiKey(key). */
export function generateApiKey(): string {
  return `${KEY_PREFIX}${randomBytes(32).toString("base64url")}`;
}

/** A new public client id (`parley_` + 24 hex characters). */
export function generateClientId(): string {
  return `${CLIENT_PREFIX}${randomBytes(12).toString("hex")}`;
}

/** The stored form of an API key: lowercase hex SHA-256. */
export function hashApiKey(apiKey: string): string {
  return createHash("sha256").update(apiKey, "utf8").digest("hex");
}

/** True when `apiKey` hashes to `storedHash`, compared in constant time. */
export function verifyApiKey(apiKey: string, storedHash: string): boolean {
  const expected = Buffer.from(storedHash, "hex");
  const actual = createHash("sha256").update(apiKey, "utf8").digest();
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}
