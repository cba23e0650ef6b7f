/**
 * Starts the real `npm start` process for end-to-end tests: its own temp data dir, a free port, the
 * environment the test gives; waits for "Parley is running at <url>" and stops it with a signal.
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { ensureServerBuild } from "../../scripts/build-server.mjs";

const ROOT = resolve(import.meta.dirname, "../..");
const RUNNING = /Parley is running at (http:\/\/\S+)/;
/** The compiled CLI as `npm start` names it on its command line. */
const SERVER_ENTRY = "dist/server/main.js";

/** Variables a developer's shell may hold that would point the child somewhere else; blanked = unset. */
const ISOLATED: Record<string, string> = {
  DATABASE_URL: "",
  REDIS_URL: "",
  PARLEY_SECRET_KEY: "",
  PARLEY_PUBLIC_URL: "",
  PARLEY_ROLE: "",
  TELEGRAM_BOT_TOKEN: "",
  TELEGRAM_WEBHOOK_SECRET: "",
  EXTERNAL_API_URL: "",
  HTTP_ALLOWLIST: "",
};

export interface SpawnedParley {
  url: string;
  dataDir: string;
  child: ChildProcess;
  /** Everything the process wrote to stdout and stderr so far. */
  output(): string;
  /** Sends `signal` and resolves with how the process ended (killed hard after `timeoutMs`). */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<{ code: number | null; signal: string | null }>;
  /** Removes the data dir; call after stop(). */
  cleanUp(): Promise<void>;
  /** The pid of Parley's own node process (not npm's), e.g. to read its RSS; undefined once gone. */
  pid(): number | undefined;
}

export interface SpawnParleyOptions {
  env?: Record<string, string>;
  /** How long to wait for the "running at" line. */
  startTimeoutMs?: number;
  /** Run on this existing data dir (a restart) instead of a new temp one; it is kept if the start fails. */
  dataDir?: string;
  /**
   * Run `node <nodeArgs> dist/server/main.js start` (the compiled server `npm start` runs, built first
   * if needed) instead of `npm start`, for flags that NODE_OPTIONS refuses (e.g. `--cpu-prof
   * --cpu-prof-dir=/tmp/prof`).
   */
  nodeArgs?: string[];
}

/** Runs `npm start` in the repository with PORT=0 (the line printed names the real port). */
export async function spawnParley(options: SpawnParleyOptions = {}): Promise<SpawnedParley> {
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), "parley-e2e-"));
  // `npm start` compiles the server in its prestart script; run directly, it is compiled here.
  if (options.nodeArgs) await ensureServerBuild();
  const [command, args] = options.nodeArgs
    ? ["node", [...options.nodeArgs, SERVER_ENTRY, "start"]]
    : ["npm", ["start", "--silent"]];
  const child = spawn(command, args, {
    cwd: ROOT,
    env: {
      ...process.env,
      ...ISOLATED,
      HOST: "127.0.0.1",
      PORT: "0",
      PARLEY_DATA_DIR: dataDir,
      LOG_LEVEL: "warn",
      ...options.env,
    },
    stdio: ["ignore", "pipe", "pipe"],
    // Its own process group, so a hung run can be killed with everything npm started.
    detached: true,
  });
  let output = "";
  const exited = new Promise<{ code: number | null; signal: string | null }>((done) => {
    child.on("exit", (code, signal) => done({ code, signal }));
  });
  const url = await new Promise<string>((found, fail) => {
    const timer = setTimeout(
      () => fail(new Error(`Parley did not start within ${options.startTimeoutMs ?? 40_000} ms:\n${output}`)),
      options.startTimeoutMs ?? 40_000,
    );
    const collect = (chunk: Buffer) => {
      output += chunk.toString("utf8");
      const match = RUNNING.exec(output);
      if (match?.[1]) {
        clearTimeout(timer);
        found(match[1]);
      }
    };
    child.stdout?.on("data", collect);
    child.stderr?.on("data", collect);
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      fail(new Error(`Parley exited (code ${code}, signal ${signal}) before starting:\n${output}`));
    });
  }).catch(async (error: unknown) => {
    killGroup(child, "SIGKILL");
    if (options.dataDir === undefined) await rm(dataDir, { recursive: true, force: true });
    throw error;
  });

  return {
    url,
    dataDir,
    child,
    output: () => output,
    async stop(signal = "SIGTERM", timeoutMs = 15_000) {
      if (child.exitCode !== null || child.signalCode !== null) return exited;
      // To Parley's own node process, as a service manager running it directly would: npm's `sh -c`
      // (dash) neither execs nor forwards signals, so a signal to npm or to the group kills the shell.
      const pid = findParleyPid(child);
      if (pid === undefined) killGroup(child, signal);
      else process.kill(pid, signal);
      const timer = setTimeout(() => killGroup(child, "SIGKILL"), timeoutMs);
      const result = await exited;
      clearTimeout(timer);
      return result;
    },
    cleanUp: () => rm(dataDir, { recursive: true, force: true }),
    pid: () => findParleyPid(child),
  };
}

/** The node process running the CLI inside the child's process group. */
function findParleyPid(child: ChildProcess): number | undefined {
  const table = execFileSync("ps", ["-eo", "pid=,pgid=,args="], { encoding: "utf8" });
  for (const line of table.split("\n")) {
    const [pid, pgid, ...args] = line.trim().split(/\s+/);
    const command = args.join(" ");
    if (Number(pgid) === child.pid && command.startsWith("node ") && command.includes(SERVER_ENTRY)) {
      return Number(pid);
    }
  }
  return undefined;
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}
