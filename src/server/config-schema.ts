/**
 * The zod schema of every environment variable Parley reads (docs/configuration.md lists them).
 * Empty values count as unset, so `FOO=` in a .env file falls back to the default.
 */
import { isIP } from "node:net";
import { z } from "zod";

const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
const HEX_KEY = /^[0-9a-fA-F]{64}$/;
const BASE64 = /^[A-Za-z0-9+/_-]+={0,2}$/;
const HOSTNAME =
  /^(\*\.)?([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$/;
const TELEGRAM_SECRET = /^[A-Za-z0-9_-]{1,256}$/;

/** Parses the flat environment record; config.ts groups the result. */
export const envSchema = z.object({
  PORT: withDefault(integer(0, 65535), 3000),
  HOST: withDefault(z.string(), "0.0.0.0"),
  PARLEY_DATA_DIR: withDefault(z.string(), "./data"),
  PARLEY_PUBLIC_URL: optional(httpUrl()),
  PARLEY_TRUST_PROXY: withDefault(trustProxy(), false),
  LOG_LEVEL: withDefault(z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(", ")}` }), "info"),
  DATABASE_URL: optional(
    z.string().regex(/^postgres(ql)?:\/\/.+/, "must be a postgres:// or postgresql:// URL (unset = SQLite)"),
  ),
  REDIS_URL: optional(z.string().regex(/^rediss?:\/\/.+/, "must be a redis:// or rediss:// URL")),
  PARLEY_SECRET_KEY: optional(secretKey()),
  PARLEY_ADMIN_EMAIL: optional(z.email("must be an e-mail address")),
  PARLEY_ADMIN_PASSWORD: optional(z.string().min(12, "must be at least 12 characters")),
  PARLEY_ROLE: withDefault(z.enum(["all", "web", "worker"], { error: "must be all, web or worker" }), "all"),
  WORKER_CONCURRENCY: withDefault(integer(1, 1024), 16),
  HTTP_REQUEST_TIMEOUT_MS: withDefault(integer(1, 300_000), 10_000),
  HTTP_ALLOWLIST: withDefault(allowlist(), []),
  EXTERNAL_API_URL: optional(httpUrl()),
  WHATSAPP_TOKEN: optional(z.string()),
  PHONE_NUMBER_ID: optional(z.string().regex(/^\d+$/, "must be the numeric phone number id from Meta")),
  VERIFY_TOKEN: optional(z.string()),
  GRAPH_API_VERSION: withDefault(z.string().regex(/^v\d+\.\d+$/, "must look like v23.0"), "v23.0"),
  WHATSAPP_APP_SECRET: optional(z.string()),
  WHATSAPP_GRAPH_URL: withDefault(httpUrl(), "https://graph.facebook.com"),
  WHATSAPP_RATE_PER_SECOND: withDefault(integer(1, 10_000), 80),
  TELEGRAM_BOT_TOKEN: optional(z.string().regex(/^\d+:[A-Za-z0-9_-]+$/, "must look like 123456:ABC-DEF...")),
  TELEGRAM_WEBHOOK_SECRET: optional(
    z.string().regex(TELEGRAM_SECRET, "must be 1-256 characters of A-Z a-z 0-9 _ -"),
  ),
  TELEGRAM_API_URL: withDefault(httpUrl(), "https://api.telegram.org"),
});

export type ParsedEnv = z.output<typeof envSchema>;

function emptyToUndefined(value: unknown): unknown {
  return typeof value === "string" && value.trim() === "" ? undefined : value;
}

function optional<T extends z.ZodType>(schema: T) {
  return z.preprocess(emptyToUndefined, schema.optional());
}

function withDefault<T extends z.ZodType>(schema: T, fallback: z.output<T>) {
  return z.preprocess((value) => emptyToUndefined(value) ?? fallback, schema);
}

function integer(min: number, max: number) {
  const message = `must be an integer from ${min} to ${max}`;
  const toNumber = (value: unknown) =>
    typeof value === "string" && /^-?\d+$/.test(value) ? Number(value) : value;
  return z.preprocess(
    toNumber,
    z.number({ error: message }).int(message).min(min, message).max(max, message),
  );
}

function httpUrl() {
  return z
    .string()
    .regex(/^https?:\/\/[^\s]+$/, "must be an http:// or https:// URL")
    .transform((s) => s.replace(/\/+$/, ""));
}

function secretKey() {
  return z.string().transform((value, ctx) => {
    const trimmed = value.trim();
    const key = HEX_KEY.test(trimmed)
      ? Buffer.from(trimmed, "hex")
      : BASE64.test(trimmed)
        ? Buffer.from(trimmed, trimmed.includes("-") || trimmed.includes("_") ? "base64url" : "base64")
        : undefined;
    if (key?.length === 32) return key;
    ctx.addIssue({
      code: "custom",
      message: "must be a 32-byte key: 64 hex characters or base64 (e.g. `openssl rand -hex 32`)",
    });
    return z.NEVER;
  });
}

function allowlist() {
  return z.union([z.array(z.string()), z.string()]).transform((value, ctx) => {
    const entries = (typeof value === "string" ? value.split(",") : value)
      .map((s) => s.trim())
      .filter(Boolean);
    for (const entry of entries.filter((e) => !isHostOrCidr(e))) {
      ctx.addIssue({ code: "custom", message: `"${entry}" is not a host name, IP address or CIDR` });
    }
    return entries;
  });
}

function isHostOrCidr(entry: string): boolean {
  const [address = "", prefix, extra] = entry.split("/");
  if (extra !== undefined) return false;
  if (prefix === undefined) return isIP(address) !== 0 || HOSTNAME.test(address);
  const version = isIP(address);
  const bits = /^\d{1,3}$/.test(prefix) ? Number(prefix) : -1;
  return version !== 0 && bits >= 0 && bits <= (version === 4 ? 32 : 128);
}

function trustProxy() {
  return z.union([z.boolean(), z.number(), z.array(z.string()), z.string()]).transform((value, ctx) => {
    if (typeof value !== "string") return value;
    if (value === "true" || value === "false") return value === "true";
    if (/^\d+$/.test(value)) return Number(value);
    const entries = value.split(",").map((s) => s.trim());
    if (entries.every((e) => isIP(e.split("/")[0] ?? "") !== 0 && isHostOrCidr(e))) return entries;
    ctx.addIssue({
      code: "custom",
      message: "must be true, false, a hop count or comma-separated IPs/CIDRs",
    });
    return z.NEVER;
  });
}
