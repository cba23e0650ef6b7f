/**
 * `parley start`: builds the whole app (createApp), listens, prints where it runs (and the first
 * admin's credentials, once), and shuts down gracefully on SIGTERM/SIGINT within a hard deadline.
 */
import type { AddressInfo } from "node:net";
import { parseArgs } from "node:util";
import { setFlagsFromString } from "node:v8";
import { createApp, type FirstStart, type ParleyApp } from "../server/app.ts";
import type { Config, ProcessRole } from "../server/config.ts";
import { DEMO_FLOW_NAME } from "../server/demo-flow.ts";
import { CliError, type CliIo, loadCliConfig, USAGE_EXIT_CODE } from "./cli-support.ts";

/** How long a graceful shutdown may take before the process exits anyway. */
export const SHUTDOWN_DEADLINE_MS = 10_000;
const ROLES: readonly ProcessRole[] = ["all", "web", "worker"];

export interface StartedParley {
  parley: ParleyApp;
  url: string;
}

/** Starts Parley and installs the signal handlers; resolves once it is listening. */
export async function runStart(args: string[], io: CliIo): Promise<StartedParley> {
  const role = parseRole(args);
  limitHeapGrowth();
  const loaded = loadCliConfig(io);
  const config: Config = { ...loaded, runtime: { ...loaded.runtime, role: role ?? loaded.runtime.role } };
  if (
    config.runtime.role !== "all" &&
    (!config.store.redisUrl || config.store.database.kind !== "postgres")
  ) {
    // A web process without a shared queue would accept work nobody processes; a lone worker nothing.
    throw new CliError(
      `--role ${config.runtime.role} needs DATABASE_URL (PostgreSQL) and REDIS_URL shared with the other processes; ` +
        "without them run one process with --role all (the default).",
    );
  }
  const parley = await createApp(config);
  let url: string;
  try {
    await parley.app.listen({ host: config.server.host, port: config.server.port });
    url = localUrl(config.server.host, parley.app.server.address());
  } catch (error) {
    await parley.close();
    throw error;
  }
  installShutdown(parley, io);
  if (parley.firstStart) printFirstStart(parley.firstStart, url, io);
  if (config.server.publicUrl) io.out(`Public URL (webhooks): ${config.server.publicUrl}`);
  // Printed last: scripts and tests wait for this line.
  io.out(`Parley is running at ${url}`);
  return { parley, url };
}

/**
 * When a process allocates fast, V8 lets its old generation grow to up to four times what survived
 * the last full collection before collecting again. Parley's live heap is small (~30 MB), so that
 * headroom was most of its memory under load (peak RSS ~310 MB in bench:e2e). Under load a few KB
 * per turn live long enough to be promoted, so the old generation fills at ~7 MB/s at 1,000
 * messages/s, and every full collection is a 5–13 ms pause that webhooks queue behind. A factor of
 * 2.5 collects every ~6 s instead of every ~3 s (at 1.6): ack p99 at 1,000 messages/s 22.7 ms
 * instead of 29.7 (6 interleaved runs) for ~35 MB more peak RSS (~265 MB). A
 * --heap-growing-percent given on the command line or in NODE_OPTIONS wins.
 */
function limitHeapGrowth(): void {
  const given = [...process.execArgv, process.env.NODE_OPTIONS ?? ""].some((flag) =>
    flag.includes("heap-growing-percent"),
  );
  if (!given) setFlagsFromString("--heap-growing-percent=150");
}

function parseRole(args: string[]): ProcessRole | undefined {
  let role: string | undefined;
  try {
    role = parseArgs({ args, options: { role: { type: "string" } }, strict: true }).values.role;
  } catch (error) {
    throw new CliError(error instanceof Error ? error.message : String(error), USAGE_EXIT_CODE);
  }
  if (role === undefined) return undefined;
  const known = ROLES.find((candidate) => candidate === role);
  if (!known) throw new CliError(`--role must be one of ${ROLES.join(", ")}, not "${role}"`, USAGE_EXIT_CODE);
  return known;
}

/** The address to print: localhost when bound to every interface or loopback, else the bound host. */
function localUrl(host: string, address: AddressInfo | string | null): string {
  const port = typeof address === "object" && address ? address.port : 0;
  const everywhere = ["0.0.0.0", "::", "127.0.0.1", "::1", "localhost"].includes(host);
  const shown = everywhere ? "localhost" : host.includes(":") ? `[${host}]` : host;
  return `http://${shown}:${port}`;
}

function printFirstStart(first: FirstStart, url: string, io: CliIo): void {
  io.out("");
  io.out("First start: created your organization and its owner account.");
  io.out(`  e-mail:   ${first.email}`);
  if (first.generatedPassword) {
    io.out(`  password: ${first.generatedPassword}`);
    io.out(
      "  This password is shown only this once. Keep it, or create another user with `parley user create`.",
    );
  } else {
    io.out("  password: the one in PARLEY_ADMIN_PASSWORD (you can remove it from the environment now)");
  }
  io.out(`Open ${url}, log in, open the flow "${DEMO_FLOW_NAME}" and press Test to chat with it.`);
  io.out("");
}

/** SIGTERM/SIGINT: stop accepting, drain, close, exit 0; past the deadline, exit 1 without waiting. */
function installShutdown(parley: ParleyApp, io: CliIo): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    // `npm start` in a terminal delivers Ctrl+C twice (to the group, and forwarded by npm): only the
    // first signal counts, and the deadline bounds the wait.
    if (stopping) return;
    stopping = true;
    io.out(`Received ${signal}; finishing in-flight work (at most ${SHUTDOWN_DEADLINE_MS / 1000} s)…`);
    const deadline = setTimeout(() => {
      io.err(`Shutdown took longer than ${SHUTDOWN_DEADLINE_MS / 1000} s; exiting anyway.`);
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS);
    deadline.unref();
    parley.close().then(
      () => {
        io.out("Parley stopped.");
        process.exit(0);
      },
      (error: unknown) => {
        io.err(`Shutdown failed: ${error instanceof Error ? error.message : String(error)}`);
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}
