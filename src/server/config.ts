/**
 * Startup configuration: one zod schema parses the environment (merged over a `.env` file) once, reports
 * every problem together, and yields a typed, grouped Config that is passed down as an argument.
 */
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { parseEnv } from "node:util";
import type { z } from "zod";
import { envSchema, type ParsedEnv } from "./config-schema.ts";
import { resolveSecretKey } from "./secret-key.ts";

export { resolveSecretKey } from "./secret-key.ts";

export type LogLevel = ParsedEnv["LOG_LEVEL"];
export type ProcessRole = ParsedEnv["PARLEY_ROLE"];
export type DatabaseConfig = { kind: "sqlite"; path: string } | { kind: "postgres"; url: string };

export interface Config {
  server: {
    host: string;
    port: number;
    publicUrl: string | undefined;
    logLevel: LogLevel;
    /** Fastify's trustProxy: false, true, a hop count or a list of proxy addresses/CIDRs. */
    trustProxy: boolean | number | string[];
  };
  store: { dataDir: string; database: DatabaseConfig; redisUrl: string | undefined };
  security: {
    /** 32-byte master key: signs tokens and encrypts channel secrets (via derived keys). */
    secretKey: Buffer;
    secretKeySource: "env" | "file";
    admin: { email: string; password: string } | undefined;
  };
  runtime: {
    role: ProcessRole;
    workerConcurrency: number;
    httpRequestTimeoutMs: number;
    httpAllowlist: string[];
    externalApiUrl: string | undefined;
  };
  /** Graph API settings for every WhatsApp channel, whether configured here or through the API. */
  whatsappGraph: { graphUrl: string; graphApiVersion: string; ratePerSecond: number };
  whatsapp:
    | {
        token: string;
        phoneNumberId: string;
        verifyToken: string;
        appSecret: string | undefined;
        graphApiVersion: string;
        graphUrl: string;
        ratePerSecond: number;
      }
    | undefined;
  telegram: { botToken: string; webhookSecret: string | undefined; apiUrl: string } | undefined;
}

export interface ConfigProblem {
  variable: string;
  message: string;
}

/** Thrown by loadConfig with every invalid or missing variable, so one restart fixes them all. */
export class ConfigError extends Error {
  readonly problems: ConfigProblem[];

  constructor(problems: ConfigProblem[]) {
    const lines = problems.map((p) => `  - ${p.variable}: ${p.message}`);
    super(`Invalid configuration (${problems.length} problem(s)):\n${lines.join("\n")}`);
    this.name = "ConfigError";
    this.problems = problems;
  }
}

/**
 * Parses the configuration from `env` merged over `<cwd>/.env` (the environment wins), resolving the
 * secret key (generated into the data dir on first start when unset). Throws ConfigError listing every problem.
 * @example const config = loadConfig(process.env);
 */
export function loadConfig(env: Record<string, string | undefined>, options: { cwd?: string } = {}): Config {
  const cwd = options.cwd ?? process.cwd();
  const merged = { ...readDotEnv(cwd), ...definedEntries(env) };
  const result = envSchema.safeParse(merged);
  const problems = result.success ? [] : result.error.issues.map(toProblem);
  problems.push(...checkRequiredTogether(merged));
  if (!result.success || problems.length > 0) throw new ConfigError(problems);
  return groupConfig(result.data, cwd);
}

function groupConfig(env: ParsedEnv, cwd: string): Config {
  const dataDir = resolve(cwd, env.PARLEY_DATA_DIR);
  const secretKey = env.PARLEY_SECRET_KEY ?? resolveSecretKey(dataDir);
  return {
    server: {
      host: env.HOST,
      port: env.PORT,
      publicUrl: env.PARLEY_PUBLIC_URL,
      logLevel: env.LOG_LEVEL,
      trustProxy: env.PARLEY_TRUST_PROXY,
    },
    store: {
      dataDir,
      database: env.DATABASE_URL
        ? { kind: "postgres", url: env.DATABASE_URL }
        : { kind: "sqlite", path: resolve(dataDir, "parley.db") },
      redisUrl: env.REDIS_URL,
    },
    security: {
      secretKey,
      secretKeySource: env.PARLEY_SECRET_KEY ? "env" : "file",
      admin:
        env.PARLEY_ADMIN_EMAIL && env.PARLEY_ADMIN_PASSWORD
          ? { email: env.PARLEY_ADMIN_EMAIL, password: env.PARLEY_ADMIN_PASSWORD }
          : undefined,
    },
    runtime: {
      role: env.PARLEY_ROLE,
      workerConcurrency: env.WORKER_CONCURRENCY,
      httpRequestTimeoutMs: env.HTTP_REQUEST_TIMEOUT_MS,
      httpAllowlist: env.HTTP_ALLOWLIST,
      externalApiUrl: env.EXTERNAL_API_URL,
    },
    whatsappGraph: {
      graphUrl: env.WHATSAPP_GRAPH_URL,
      graphApiVersion: env.GRAPH_API_VERSION,
      ratePerSecond: env.WHATSAPP_RATE_PER_SECOND,
    },
    whatsapp:
      env.WHATSAPP_TOKEN && env.PHONE_NUMBER_ID && env.VERIFY_TOKEN
        ? {
            token: env.WHATSAPP_TOKEN,
            phoneNumberId: env.PHONE_NUMBER_ID,
            verifyToken: env.VERIFY_TOKEN,
            appSecret: env.WHATSAPP_APP_SECRET,
            graphApiVersion: env.GRAPH_API_VERSION,
            graphUrl: env.WHATSAPP_GRAPH_URL,
            ratePerSecond: env.WHATSAPP_RATE_PER_SECOND,
          }
        : undefined,
    telegram: env.TELEGRAM_BOT_TOKEN
      ? {
          botToken: env.TELEGRAM_BOT_TOKEN,
          webhookSecret: env.TELEGRAM_WEBHOOK_SECRET,
          apiUrl: env.TELEGRAM_API_URL,
        }
      : undefined,
  };
}

/** Groups of variables that only make sense together: setting one without the others is a mistake. */
const REQUIRED_TOGETHER: { group: string[]; why: string }[] = [
  {
    group: ["WHATSAPP_TOKEN", "PHONE_NUMBER_ID", "VERIFY_TOKEN"],
    why: "the default WhatsApp channel needs WHATSAPP_TOKEN, PHONE_NUMBER_ID and VERIFY_TOKEN together",
  },
  {
    group: ["PARLEY_ADMIN_EMAIL", "PARLEY_ADMIN_PASSWORD"],
    why: "the first admin needs both PARLEY_ADMIN_EMAIL and PARLEY_ADMIN_PASSWORD",
  },
];

/** Variables that depend on another one being set. */
const REQUIRES: { variable: string; needs: string }[] = [
  { variable: "WHATSAPP_APP_SECRET", needs: "WHATSAPP_TOKEN" },
  { variable: "TELEGRAM_WEBHOOK_SECRET", needs: "TELEGRAM_BOT_TOKEN" },
];

function checkRequiredTogether(env: Record<string, string>): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const { group, why } of REQUIRED_TOGETHER) {
    const present = group.filter((name) => isSet(env[name]));
    if (present.length === 0 || present.length === group.length) continue;
    for (const name of group.filter((n) => !present.includes(n))) {
      problems.push({ variable: name, message: `required: ${why}` });
    }
  }
  for (const { variable, needs } of REQUIRES) {
    if (isSet(env[variable]) && !isSet(env[needs])) {
      problems.push({ variable, message: `is set but ${needs} is not` });
    }
  }
  return problems;
}

function readDotEnv(cwd: string): Record<string, string> {
  const path = resolve(cwd, ".env");
  if (!existsSync(path)) return {};
  return definedEntries(parseEnv(readFileSync(path, "utf8")));
}

function definedEntries(record: Record<string, string | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(record)) {
    if (value !== undefined) out[key] = value;
  }
  return out;
}

function isSet(value: string | undefined): boolean {
  return value !== undefined && value.trim() !== "";
}

function toProblem(issue: z.core.$ZodIssue): ConfigProblem {
  return { variable: issue.path.map(String).join(".") || "(environment)", message: issue.message };
}
