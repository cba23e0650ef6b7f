/**
 * Checks the `X-Telegram-Bot-Api-Secret-Token` header, Telegram's only webhook authenticity proof
 * (there is no body signature). Both sides are hashed first so the comparison is constant-time even
 * when the lengths differ.
 */
import { createHash, timingSafeEqual } from "node:crypto";

export const TELEGRAM_SECRET_HEADER = "x-telegram-bot-api-secret-token";

/** True when the header equals the configured secret; false when it is missing or the secret is empty. */
export function verifyTelegramSecret(header: string | undefined, secret: string): boolean {
  if (header === undefined || secret.length === 0) return false;
  const expected = createHash("sha256").update(secret, "utf8").digest();
  const received = createHash("sha256").update(header, "utf8").digest();
  return timingSafeEqual(expected, received);
}
