/**
 * Webhook authenticity for WhatsApp: the GET subscription handshake and the X-Hub-Signature-256
 * HMAC over the raw POST body. Both compare in constant time.
 */
import { createHash, createHmac, timingSafeEqual } from "node:crypto";

const SIGNATURE_PREFIX = "sha256=";
const HEX_SHA256 = /^[0-9a-f]{64}$/i;

/** Checks Meta's GET handshake; on success returns the raw `hub.challenge` to echo back with 200. */
export function verifySubscription(
  query: Record<string, unknown>,
  verifyToken: string,
): { ok: true; challenge: string } | { ok: false } {
  const mode = query["hub.mode"];
  const token = query["hub.verify_token"];
  const challenge = query["hub.challenge"];
  if (mode !== "subscribe" || typeof token !== "string" || typeof challenge !== "string") {
    return { ok: false };
  }
  // Hashing both sides gives equal-length inputs, so neither the token nor its length leaks.
  const same = timingSafeEqual(hashToken(token), hashToken(verifyToken));
  return same ? { ok: true, challenge } : { ok: false };
}

/** True when `header` is `sha256=<hex>` and the hex is the HMAC-SHA256 of `rawBody` keyed with `appSecret`. */
export function verifyWebhookSignature(
  rawBody: Buffer,
  header: string | undefined,
  appSecret: string,
): boolean {
  if (typeof header !== "string" || !header.startsWith(SIGNATURE_PREFIX)) return false;
  const hex = header.slice(SIGNATURE_PREFIX.length).trim();
  if (!HEX_SHA256.test(hex)) return false;
  const received = Buffer.from(hex, "hex");
  const expected = createHmac("sha256", appSecret).update(rawBody).digest();
  if (received.length !== expected.length) return false;
  return timingSafeEqual(received, expected);
}

function hashToken(value: string): Buffer {
  return createHash("sha256").update(value, "utf8").digest();
}
