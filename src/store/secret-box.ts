/**
 * Seals channel secrets at rest with AES-256-GCM (DESIGN §9). The output is versioned (`v1:`) so the
 * scheme or key can change later without guessing what an old value is.
 */
import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";

export interface SecretBox {
  seal(plain: string): string;
  /** Throws when the value was tampered with, sealed with another key, or is not a sealed value. */
  open(sealed: string): string;
}

const VERSION = "v1:";
const IV_BYTES = 12;
const TAG_BYTES = 16;

/** Creates a box around a 32-byte key. */
export function createSecretBox(key: Buffer): SecretBox {
  if (key.length !== 32) throw new Error(`secret box key must be 32 bytes, got ${key.length}`);
  return {
    seal(plain) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv("aes-256-gcm", key, iv);
      const ciphertext = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
      return VERSION + Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString("base64");
    },
    open(sealed) {
      if (!sealed.startsWith(VERSION)) throw new Error("not a sealed value (expected the v1: prefix)");
      const bytes = Buffer.from(sealed.slice(VERSION.length), "base64");
      if (bytes.length < IV_BYTES + TAG_BYTES) throw new Error("sealed value is truncated");
      const decipher = createDecipheriv("aes-256-gcm", key, bytes.subarray(0, IV_BYTES));
      decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      return Buffer.concat([
        decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)),
        decipher.final(),
      ]).toString("utf8");
    },
  };
}
