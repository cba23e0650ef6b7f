import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ConfigError, loadConfig, resolveSecretKey } from "./config.ts";
import { envSchema } from "./config-schema.ts";

const HEX_KEY = "ab".repeat(32);
let cwd: string;

beforeEach(() => {
  cwd = mkdtempSync(join(tmpdir(), "parley-config-"));
});
afterEach(() => {
  rmSync(cwd, { recursive: true, force: true });
});

function problemsOf(env: Record<string, string | undefined>): Record<string, string> {
  try {
    loadConfig(env, { cwd });
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return Object.fromEntries(error.problems.map((p) => [p.variable, p.message]));
  }
  throw new Error("expected a ConfigError");
}

describe("loadConfig", () => {
  it("applies the documented defaults", () => {
    const config = loadConfig({ PARLEY_SECRET_KEY: HEX_KEY }, { cwd });
    expect(config.server).toEqual({
      host: "0.0.0.0",
      port: 3000,
      publicUrl: undefined,
      logLevel: "info",
      trustProxy: false,
    });
    expect(config.store.dataDir).toBe(join(cwd, "data"));
    expect(config.store.database).toEqual({ kind: "sqlite", path: join(cwd, "data", "parley.db") });
    expect(config.store.redisUrl).toBeUndefined();
    expect(config.runtime).toEqual({
      role: "all",
      workerConcurrency: 16,
      httpRequestTimeoutMs: 10_000,
      httpAllowlist: [],
      externalApiUrl: undefined,
    });
    expect(config.security.secretKey.toString("hex")).toBe(HEX_KEY);
    expect(config.security.secretKeySource).toBe("env");
    expect(config.security.admin).toBeUndefined();
    expect(config.whatsapp).toBeUndefined();
    expect(config.telegram).toBeUndefined();
  });

  it("groups channel settings and parses typed values", () => {
    const config = loadConfig(
      {
        PARLEY_SECRET_KEY: Buffer.alloc(32, 7).toString("base64"),
        PORT: "8080",
        DATABASE_URL: "postgres://u:p@db:5432/parley",
        REDIS_URL: "redis://cache:6379",
        WHATSAPP_TOKEN: "EAAG",
        PHONE_NUMBER_ID: "1234567890",
        VERIFY_TOKEN: "verify-me",
        WHATSAPP_APP_SECRET: "app-secret",
        TELEGRAM_BOT_TOKEN: "123456:ABC-def_123",
        HTTP_ALLOWLIST: "crm.internal, 10.0.0.0/8 ,::1",
        PARLEY_TRUST_PROXY: "1",
      },
      { cwd },
    );
    expect(config.server.port).toBe(8080);
    expect(config.server.trustProxy).toBe(1);
    expect(config.security.secretKey.equals(Buffer.alloc(32, 7))).toBe(true);
    expect(config.store.database).toEqual({ kind: "postgres", url: "postgres://u:p@db:5432/parley" });
    expect(config.whatsapp).toEqual({
      token: "EAAG",
      phoneNumberId: "1234567890",
      verifyToken: "verify-me",
      appSecret: "app-secret",
      graphApiVersion: "v23.0",
      graphUrl: "https://graph.facebook.com",
      ratePerSecond: 80,
    });
    expect(config.telegram).toEqual({
      botToken: "123456:ABC-def_123",
      webhookSecret: undefined,
      apiUrl: "https://api.telegram.org",
    });
    expect(config.runtime.httpAllowlist).toEqual(["crm.internal", "10.0.0.0/8", "::1"]);
  });

  it("merges .env from cwd with the real environment winning, and treats empty values as unset", () => {
    writeFileSync(
      join(cwd, ".env"),
      `PORT=4000\nHOST=127.0.0.1\nLOG_LEVEL=debug\nGRAPH_API_VERSION=\nPARLEY_SECRET_KEY=${HEX_KEY}\n`,
    );
    const config = loadConfig({ PORT: "5000", HOST: undefined }, { cwd });
    expect(config.server.port).toBe(5000);
    expect(config.server.host).toBe("127.0.0.1");
    expect(config.server.logLevel).toBe("debug");
  });

  it("reports every invalid value together, naming each variable", () => {
    const problems = problemsOf({
      PORT: "eighty",
      LOG_LEVEL: "loud",
      DATABASE_URL: "mysql://x",
      REDIS_URL: "http://x",
      PARLEY_SECRET_KEY: "too-short",
      PARLEY_ROLE: "boss",
      WORKER_CONCURRENCY: "0",
      HTTP_ALLOWLIST: "ok.example, not a host, 10.0.0.0/99",
      WHATSAPP_TOKEN: "EAAG",
      PHONE_NUMBER_ID: "abc",
      PARLEY_ADMIN_EMAIL: "nobody",
      TELEGRAM_WEBHOOK_SECRET: "has spaces",
    });
    expect(Object.keys(problems).sort()).toEqual(
      [
        "DATABASE_URL",
        "HTTP_ALLOWLIST",
        "LOG_LEVEL",
        "PARLEY_ADMIN_EMAIL",
        "PARLEY_ADMIN_PASSWORD",
        "PARLEY_ROLE",
        "PARLEY_SECRET_KEY",
        "PHONE_NUMBER_ID",
        "PORT",
        "REDIS_URL",
        "TELEGRAM_WEBHOOK_SECRET",
        "VERIFY_TOKEN",
        "WORKER_CONCURRENCY",
      ].sort(),
    );
    expect(problems.PORT).toMatch(/integer/);
    expect(problems.VERIFY_TOKEN).toMatch(/WhatsApp/);
    expect(problems.TELEGRAM_WEBHOOK_SECRET).toBeDefined();
  });

  it("lists every problem in the error message", () => {
    expect(() => loadConfig({ PORT: "-1", LOG_LEVEL: "loud" }, { cwd })).toThrow(/PORT:.*\n.*LOG_LEVEL:/s);
  });
});

describe("resolveSecretKey", () => {
  it("generates a 0600 key file on first start and reuses it", () => {
    const dataDir = join(cwd, "data");
    const first = resolveSecretKey(dataDir);
    expect(first).toHaveLength(32);
    const file = join(dataDir, "secret.key");
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, "utf8").trim()).toBe(first.toString("hex"));
    expect(resolveSecretKey(dataDir).equals(first)).toBe(true);
  });

  it("is used by loadConfig when PARLEY_SECRET_KEY is unset", () => {
    const config = loadConfig({ PARLEY_DATA_DIR: "state" }, { cwd });
    expect(config.security.secretKeySource).toBe("file");
    expect(readFileSync(join(cwd, "state", "secret.key"), "utf8").trim()).toBe(
      config.security.secretKey.toString("hex"),
    );
  });

  it("refuses a corrupt key file instead of silently replacing it", () => {
    writeFileSync(join(cwd, "secret.key"), "garbage");
    expect(() => resolveSecretKey(cwd)).toThrow(/does not hold/);
  });
});

describe("documentation", () => {
  const variables = Object.keys(envSchema.shape);
  const root = join(import.meta.dirname, "../..");

  it("lists every variable in docs/configuration.md and nothing else", () => {
    const doc = readFileSync(join(root, "docs/configuration.md"), "utf8");
    const documented = [...doc.matchAll(/^\|\s*`([A-Z0-9_]+)`\s*\|/gm)].map((m) => m[1]);
    expect([...documented].sort()).toEqual([...variables].sort());
  });

  it("lists every variable, commented, in .env.example", () => {
    const example = readFileSync(join(root, ".env.example"), "utf8");
    const listed = [...example.matchAll(/^# ([A-Z0-9_]+)=/gm)].map((m) => m[1]);
    expect([...new Set(listed)].sort()).toEqual([...variables].sort());
  });
});
