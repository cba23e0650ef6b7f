/**
 * WhatsApp traffic against a spawned Parley: the environment channel's settings, signed webhook bodies
 * shaped like Meta's, an operator session that publishes flows, and the process facts tests assert on.
 * Shared by the reliability suite and the end-to-end benchmarks.
 */
import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";

export const WA = {
  token: "reliability-graph-token",
  phoneNumberId: "106000000000088",
  verifyToken: "reliability-verify-token",
  appSecret: "reliability-app-secret",
} as const;
export const ADMIN = { email: "reliability-owner@example.com", password: "reliability password 123" };
export const WEBHOOK_PATH = "/api/webhook/whatsapp";

/** The environment that points a spawned Parley at `graphUrl` with the numbers above. */
export function parleyEnv(graphUrl: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PARLEY_ADMIN_EMAIL: ADMIN.email,
    PARLEY_ADMIN_PASSWORD: ADMIN.password,
    WHATSAPP_TOKEN: WA.token,
    PHONE_NUMBER_ID: WA.phoneNumberId,
    VERIFY_TOKEN: WA.verifyToken,
    WHATSAPP_APP_SECRET: WA.appSecret,
    WHATSAPP_GRAPH_URL: graphUrl,
    ...extra,
  };
}

export type InboundSpec =
  | { from: string; id: string; text: string }
  | { from: string; id: string; button: { id: string; title: string } };

/** A webhook body carrying `messages` (one batch, as Meta sends them) for the environment number. */
export function webhookBody(messages: InboundSpec[], timestamp = Math.floor(Date.now() / 1000)): string {
  const contacts = [...new Set(messages.map((m) => m.from))].map((from) => ({
    profile: { name: `Contact ${from.slice(-4)}` },
    wa_id: from,
  }));
  const value = {
    messaging_product: "whatsapp",
    metadata: { display_phone_number: "15550001111", phone_number_id: WA.phoneNumberId },
    contacts,
    messages: messages.map((m) => ({
      from: m.from,
      id: m.id,
      timestamp: String(timestamp),
      ...("text" in m
        ? { type: "text", text: { body: m.text } }
        : { type: "interactive", interactive: { type: "button_reply", button_reply: m.button } }),
    })),
  };
  return JSON.stringify({
    object: "whatsapp_business_account",
    entry: [{ id: "102000000000001", changes: [{ field: "messages", value }] }],
  });
}

/** The X-Hub-Signature-256 header value for `body`, keyed with `secret`. */
export function signBody(body: string | Buffer, secret: string = WA.appSecret): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

/** POSTs a signed body to the environment webhook; resolves with the HTTP status. */
export async function postSignedWebhook(baseUrl: string, body: string): Promise<number> {
  const response = await fetch(`${baseUrl}${WEBHOOK_PATH}`, {
    method: "POST",
    headers: { "content-type": "application/json", "x-hub-signature-256": signBody(body) },
    body,
  });
  await response.arrayBuffer();
  return response.status;
}

/** Logs in as the first admin; the returned function calls the API with that session. */
export async function openSession(baseUrl: string) {
  const login = await fetch(`${baseUrl}/api/auth/login`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ username: ADMIN.email, password: ADMIN.password }),
  });
  if (login.status !== 200) throw new Error(`login failed: ${login.status} ${await login.text()}`);
  const cookie = login.headers
    .getSetCookie()
    .map((line) => line.split(";")[0])
    .join("; ");
  return async (method: string, path: string, body?: unknown): Promise<Response> =>
    fetch(`${baseUrl}${path}`, {
      method,
      headers: { cookie, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
}

/** Unpublishes every published flow (the demo flow of a first start answers "hi" too). */
export async function unpublishAllFlows(baseUrl: string): Promise<void> {
  const api = await openSession(baseUrl);
  const list = await api("GET", "/api/flows?is_published=true&page_size=100");
  const { results } = (await list.json()) as { results: { id: string }[] };
  for (const flow of results) {
    const answer = await api("POST", `/api/flows/${flow.id}/unpublish`);
    if (answer.status !== 200) throw new Error(`unpublish: ${answer.status} ${await answer.text()}`);
  }
}

/** Creates and publishes a flow through the API; returns its id. */
export async function publishFlowViaApi(baseUrl: string, flow: Record<string, unknown>): Promise<string> {
  const api = await openSession(baseUrl);
  const created = await api("POST", "/api/flows", flow);
  if (created.status !== 201) throw new Error(`create flow: ${created.status} ${await created.text()}`);
  const { id } = (await created.json()) as { id: string };
  const published = await api("POST", `/api/flows/${id}/publish`);
  if (published.status !== 200) throw new Error(`publish: ${published.status} ${await published.text()}`);
  return id;
}

/** Resident memory of a process in MB, from /proc/<pid>/status; undefined when it is gone. */
export function readRssMb(pid: number): number | undefined {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match?.[1] ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** RSS split as the kernel counts it: anonymous memory (heaps) vs file pages (SQLite's mmap), in MB. */
export function readRssParts(pid: number): { anon: number; file: number } {
  let status = "";
  try {
    status = readFileSync(`/proc/${pid}/status`, "utf8");
  } catch {
    // gone
  }
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0);
  return { anon: kb("RssAnon") / 1024, file: kb("RssFile") / 1024 };
}

/** utime + stime from /proc/<task>/stat, in ms (clock ticks are 10 ms on Linux); 0 when gone. */
export function readCpuMs(task: string): number {
  try {
    const stat = readFileSync(`/proc/${task}/stat`, "utf8");
    // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0;
  }
}

/** CPU time used over a window of `seconds`, as a percentage of one core. */
export function cpuPercent(cpuMs: number, seconds: number): number {
  return Math.round(cpuMs / (seconds * 10));
}

/** Time the server's main thread spent in garbage collection so far, by kind. */
export interface GcTotals {
  /** Scavenges of the young generation. */
  minorMs: number;
  /** Full collections: what V8 reports as major or incremental (mark-compact) pauses. */
  fullMs: number;
}

/** What the benchmarks read from the server's Prometheus metrics (GET /metrics), in one request. */
export interface ServerMetrics {
  /** The V8 heap in use, in MB. */
  heapUsedMb: number | undefined;
  gc: GcTotals;
  /**
   * How late the main thread's event loop ran since the previous read of /metrics (prom-client
   * samples it every 10 ms and starts over at each read): p99 and max, in ms.
   */
  loopDelay: { p99Ms: number | undefined; maxMs: number | undefined };
}

/** prom-client's default `eventLoopMonitoringPrecision`, which the server keeps. */
const PROM_LOOP_SAMPLING_MS = 10;

/**
 * How late an event loop ran, in ms to 0.1, from one value of Node's `monitorEventLoopDelay` (which
 * prom-client also uses): Node records the whole interval between its timer's runs, so an on-time
 * loop reads as the sampling interval itself, and lateness is what exceeds it.
 */
export function loopLatenessMs(intervalMs: number, samplingMs: number): number {
  return Math.max(0, Math.round((intervalMs - samplingMs) * 10) / 10);
}

/** One read of the server's Prometheus metrics (GET /metrics). */
export async function readServerMetrics(baseUrl: string): Promise<ServerMetrics> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  // Exposition format: `name{labels} value` per line, comments starting with #.
  const samples = new Map<string, number>();
  for (const line of text.split("\n")) {
    const space = line.lastIndexOf(" ");
    if (space > 0 && !line.startsWith("#")) samples.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  const heapBytes = samples.get("nodejs_heap_size_used_bytes");
  const gcSeconds = (kind: string) => samples.get(`nodejs_gc_duration_seconds_sum{kind="${kind}"}`) ?? 0;
  const lateMs = (name: string) => {
    const seconds = samples.get(name);
    return seconds === undefined ? undefined : loopLatenessMs(seconds * 1000, PROM_LOOP_SAMPLING_MS);
  };
  return {
    heapUsedMb: heapBytes === undefined ? undefined : heapBytes / 1048576,
    loopDelay: {
      p99Ms: lateMs("nodejs_eventloop_lag_p99_seconds"),
      maxMs: lateMs("nodejs_eventloop_lag_max_seconds"),
    },
    gc: {
      minorMs: gcSeconds("minor") * 1000,
      fullMs: (gcSeconds("major") + gcSeconds("incremental")) * 1000,
    },
  };
}

/** Polls until `check` returns something truthy, or throws after `timeoutMs` saying what it waited for. */
export async function waitFor<T>(
  what: string,
  check: () => T | Promise<T>,
  timeoutMs = 20_000,
): Promise<NonNullable<T>> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > until) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 50));
  }
}
