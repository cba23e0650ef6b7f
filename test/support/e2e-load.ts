/**
 * Drives one end-to-end benchmark run: forks bench/load-generator.ts (which hosts the fake Graph API),
 * starts Parley pointed at it, publishes the 3-turn flow, runs the load and samples the server's RSS.
 * Used by bench/e2e.bench.ts and bench/store.bench.ts.
 */
import { type ChildProcess, fork } from "node:child_process";
import { resolve } from "node:path";
import type { LoadResult, LoadRun } from "../../bench/load-generator.ts";
import { type SpawnedParley, spawnParley } from "./spawn-parley.ts";
import { threeTurnFlow } from "./traffic-flows.ts";
import {
  cpuPercent,
  parleyEnv,
  publishFlowViaApi,
  readCpuMs,
  readRssMb,
  readRssParts,
  readServerMetrics,
  unpublishAllFlows,
} from "./whatsapp-traffic.ts";

const GENERATOR = resolve(import.meta.dirname, "../../bench/load-generator.ts");

/**
 * Seconds of load before measuring. A cold server falls behind for its first ~4 s at 1,000
 * messages/s while V8 compiles the hot paths (server-side ack p99 ~90 ms, then ~35 ms, then under
 * 10 ms once the backlog has cleared); 5 s measures the steady state.
 */
export const DEFAULT_WARMUP_SECONDS = 5;

export interface E2eLoadOptions {
  contacts: number;
  seconds: number;
  warmupSeconds?: number;
  /** Open loop at this many messages per second; absent = closed loop. */
  rate?: number;
  /** Run on this prepared data dir (the flow already published); default a fresh temp dir. */
  dataDir?: string;
  env?: Record<string, string>;
  phonePrefix?: string;
  /** Node flags for the server process (e.g. --cpu-prof); see spawnParley's nodeArgs. */
  nodeArgs?: string[];
  /** Node flags for the load generator process, e.g. to profile it too. */
  generatorNodeArgs?: string[];
}

export type E2eResult = Omit<LoadResult, "type"> & {
  contacts: number;
  seconds: number;
  warmup_seconds: number;
  rate: number | null;
  rss_mb: number;
  rss_start_mb: number;
  /** The server's V8 heap in use at the end of the measured window (GET /metrics): how much of the RSS is JS. */
  heap_used_mb: number;
  /** RSS right after the run, split: anonymous (JS heap, malloc, SQLite page cache) and file-backed (mmap). */
  rss_end_anon_mb: number;
  rss_end_file_mb: number;
  /**
   * CPU the server process used in the measured window (user + system, all its threads), in % of one
   * core and in ms per turn: unlike turns/s, these barely move when other work shares the machine.
   */
  server_cpu_pct: number;
  server_cpu_ms_per_turn: number;
  /** One core = 100: the main thread runs HTTP, the runtime and SQLite, and saturates first. */
  server_main_thread_cpu_pct: number;
  /** The load generator's CPU in the same window, % of one core: it must not be the bottleneck. */
  generator_cpu_pct: number;
  /**
   * Garbage collection pauses of the server's main thread in the same window (its /metrics), in ms:
   * scavenges of the young generation, and full collections. Webhooks wait behind every pause, so
   * these explain much of the ack tail.
   */
  server_gc_minor_ms: number;
  server_gc_full_ms: number;
  /**
   * How late the server's main thread ran its event loop in the same window, p99 and max in ms
   * (prom-client's 10 ms sampling): a webhook that arrives while the loop is late waits that long
   * before the server even reads it. Set beside `generator_loop_delay_*` to see whose stall an ack
   * tail was.
   */
  server_loop_delay_p99_ms: number | null;
  server_loop_delay_max_ms: number | null;
};

/** Environment for a benchmark server: the send rate limit out of the way. */
export const BENCH_ENV = { WHATSAPP_RATE_PER_SECOND: "10000" };

export async function runE2eLoad(options: E2eLoadOptions): Promise<E2eResult> {
  const generator = fork(GENERATOR, [], {
    execArgv: [...(options.generatorNodeArgs ?? []), "--import", "tsx"],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  let parley: SpawnedParley | undefined;
  try {
    const { graphUrl } = await nextMessage<{ graphUrl: string }>(generator, "ready");
    parley = await spawnParley({
      ...(options.dataDir ? { dataDir: options.dataDir } : {}),
      env: parleyEnv(graphUrl, { ...BENCH_ENV, ...options.env }),
      startTimeoutMs: 180_000,
      ...(options.nodeArgs ? { nodeArgs: options.nodeArgs } : {}),
    });
    if (!options.dataDir) await publishBenchFlow(parley.url);
    const pid = parley.pid() ?? 0;
    const rssStart = readRssMb(pid) ?? 0;
    let rssPeak = rssStart;
    const sampler = setInterval(() => {
      rssPeak = Math.max(rssPeak, readRssMb(pid) ?? 0);
    }, 250);
    const run: LoadRun = {
      type: "run",
      parleyUrl: parley.url,
      contacts: options.contacts,
      seconds: options.seconds,
      warmupSeconds: options.warmupSeconds ?? DEFAULT_WARMUP_SECONDS,
      ...(options.rate === undefined ? {} : { rate: options.rate }),
      phonePrefix: options.phonePrefix ?? "3460",
    };
    // The server's main thread on its own too: it is the one that saturates.
    const window = measureCpu(
      [`${pid}`, `${pid}/task/${pid}`, `${generator.pid ?? 0}`],
      run.warmupSeconds,
      run.seconds,
    );
    const url = parley.url;
    const metricsWindow = overWindow(run.warmupSeconds, run.seconds, () => readServerMetrics(url));
    // Awaited below; if the run fails first, this keeps its own failure from going unobserved.
    metricsWindow.catch(() => undefined);
    generator.send(run);
    const { type: _type, ...result } = await nextMessage<LoadResult>(generator, "result");
    clearInterval(sampler);
    const [serverCpuMs = 0, mainThreadCpuMs = 0, generatorCpuMs = 0] = await window;
    const [metricsStart, metricsEnd] = await metricsWindow;
    const rssEnd = readRssParts(pid);
    return {
      ...result,
      contacts: options.contacts,
      seconds: options.seconds,
      warmup_seconds: run.warmupSeconds,
      rate: options.rate ?? null,
      rss_mb: Math.round(rssPeak),
      rss_start_mb: Math.round(rssStart),
      heap_used_mb: Math.round(metricsEnd.heapUsedMb ?? 0),
      rss_end_anon_mb: Math.round(rssEnd.anon),
      rss_end_file_mb: Math.round(rssEnd.file),
      server_cpu_pct: cpuPercent(serverCpuMs, run.seconds),
      server_cpu_ms_per_turn: result.turns > 0 ? Math.round((serverCpuMs / result.turns) * 100) / 100 : 0,
      server_main_thread_cpu_pct: cpuPercent(mainThreadCpuMs, run.seconds),
      generator_cpu_pct: cpuPercent(generatorCpuMs, run.seconds),
      server_gc_minor_ms: Math.round(metricsEnd.gc.minorMs - metricsStart.gc.minorMs),
      server_gc_full_ms: Math.round(metricsEnd.gc.fullMs - metricsStart.gc.fullMs),
      // The read at the start of the window started prom-client's sampling over.
      server_loop_delay_p99_ms: metricsEnd.loopDelay.p99Ms ?? null,
      server_loop_delay_max_ms: metricsEnd.loopDelay.maxMs ?? null,
    };
  } finally {
    await stopGenerator(generator);
    await parley?.stop("SIGTERM", 30_000);
    if (!options.dataDir) await parley?.cleanUp();
  }
}

/** Unpublishes the demo flow (it answers "hi" too) and publishes the 3-turn flow. */
export async function publishBenchFlow(baseUrl: string): Promise<string> {
  await unpublishAllFlows(baseUrl);
  return publishFlowViaApi(baseUrl, threeTurnFlow);
}

/** Asks the generator to exit by itself (so a --cpu-prof profile gets written); kills it after 5 s. */
async function stopGenerator(generator: ChildProcess): Promise<void> {
  if (generator.exitCode !== null || generator.signalCode !== null) return;
  const exited = new Promise((done) => generator.once("exit", done));
  if (generator.connected) generator.send({ type: "stop" });
  else generator.kill();
  const timer = setTimeout(() => generator.kill(), 5_000);
  await exited;
  clearTimeout(timer);
}

/**
 * CPU ms each process or thread (`<pid>` or `<pid>/task/<tid>` under /proc) used from `warmupSeconds`
 * to `warmupSeconds + seconds` from now: the generator's measured window, timed on its own clock from
 * the same start.
 */
async function measureCpu(tasks: string[], warmupSeconds: number, seconds: number): Promise<number[]> {
  const [start, end] = await overWindow(warmupSeconds, seconds, () => tasks.map(readCpuMs));
  return end.map((ms, index) => ms - (start[index] ?? 0));
}

/** Samples at the start and at the end of the window from `warmupSeconds` to `warmupSeconds + seconds`. */
async function overWindow<T>(
  warmupSeconds: number,
  seconds: number,
  sample: () => T | Promise<T>,
): Promise<[T, T]> {
  const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
  await sleep(warmupSeconds * 1000);
  const start = await sample();
  await sleep(seconds * 1000);
  return [start, await sample()];
}

/** Resolves with the child's next IPC message of `type`; rejects if it exits first. */
function nextMessage<T>(child: ChildProcess, type: string): Promise<T> {
  return new Promise((found, fail) => {
    const onMessage = (message: unknown) => {
      if (typeof message !== "object" || message === null || !("type" in message) || message.type !== type)
        return;
      child.off("message", onMessage);
      child.off("exit", onExit);
      found(message as T);
    };
    const onExit = (code: number | null) =>
      fail(new Error(`load generator exited (${code}) before "${type}"`));
    child.on("message", onMessage);
    child.once("exit", onExit);
  });
}
