/**
 * The master secret key when PARLEY_SECRET_KEY is unset: generated once into `<dataDir>/secret.key`
 * (mode 0600) so a laptop install works with no setup and keeps its sessions and encrypted secrets across restarts.
 */
import { randomBytes } from "node:crypto";
import { chmodSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const KEY_BYTES = 32;
const FILE_NAME = "secret.key";

/** Reads `<dataDir>/secret.key`, generating it (64 hex characters, mode 0600) on first start. */
export function resolveSecretKey(dataDir: string): Buffer {
  const path = join(dataDir, FILE_NAME);
  const existing = readKeyFile(path);
  if (existing) return existing;
  mkdirSync(dataDir, { recursive: true });
  const key = randomBytes(KEY_BYTES);
  try {
    // "wx" fails if another process created the file in the meantime; then we read theirs.
    writeFileSync(path, `${key.toString("hex")}\n`, { mode: 0o600, flag: "wx" });
  } catch (error) {
    const raced = readKeyFile(path);
    if (raced) return raced;
    throw error;
  }
  chmodSync(path, 0o600);
  return key;
}

function readKeyFile(path: string): Buffer | undefined {
  let text: string;
  try {
    if (!statSync(path).isFile()) throw new Error(`${path} is not a file`);
    text = readFileSync(path, "utf8").trim();
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
  if (!/^[0-9a-fA-F]{64}$/.test(text)) {
    throw new Error(
      `${path} does not hold a 32-byte hex key; fix or delete it (sessions and secrets depend on it)`,
    );
  }
  return Buffer.from(text, "hex");
}

function isMissing(error: unknown): boolean {
  return error instanceof Error && "code" in error && error.code === "ENOENT";
}
