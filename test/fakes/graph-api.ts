/**
 * A fake Meta Graph API (WhatsApp Cloud API) on 127.0.0.1: accepts and rejects `/messages` bodies
 * the way Meta does (rules in graph-api-rules.ts), serves media, and injects seeded faults. Lean enough
 * for benchmarks.
 */
import { createHash, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import { type GraphErrorSpec, validateMessageBody } from "./graph-api-rules.ts";

export type GraphFaultKind = "429" | "500" | "timeout" | "130429" | "131056";

export interface GraphFaults {
  latencyMs?: number;
  /** Probability (0..1) that a `/messages` request fails with one of `failureKinds`. */
  failureRate?: number;
  failureKinds?: GraphFaultKind[];
  /** Restarts the fault sequence: the same seed and requests give the same faults. */
  seed?: number;
}

export interface FakeGraphApiOptions extends GraphFaults {
  /** When set, every request must carry `Authorization: Bearer <accessToken>` (else 401, code 190). */
  accessToken?: string;
  /** Known templates: name → number of body parameters. When given, other names fail with 132001. */
  templates?: Record<string, number>;
}

export interface RecordedCall {
  method: string;
  path: string;
  headers: IncomingMessage["headers"];
  body: unknown;
  /** HTTP status answered; 0 while a "timeout" fault holds the request open. */
  status: number;
  responseBody: unknown;
  /** Arrival time, ms since the epoch. */
  at: number;
}

export interface FakeGraphApi {
  url: string;
  calls: RecordedCall[];
  /** Recorded `/messages` sends whose `to` is this WhatsApp id (with or without "+"). */
  messagesTo(waId: string): RecordedCall[];
  setFaults(faults: GraphFaults): void;
  addMedia(id: string, bytes: Buffer, mimeType: string): void;
  /** Closes (or reopens) the 24 h window of a contact: free-form sends to it then fail with 131047. */
  setWindowClosed(waId: string, closed?: boolean): void;
  waitForCalls(count: number, timeoutMs?: number): Promise<void>;
  /** Forgets recorded calls and closed windows, restores the start faults and seed; media stays. */
  reset(): void;
  close(): Promise<void>;
}

interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

const MESSAGES_PATH = /^\/v\d+\.\d+\/[^/]+\/messages$/;
const MEDIA_PATH = /^\/v\d+\.\d+\/([^/]+)$/;
const DOWNLOAD_PATH = /^\/media-download\/([^/]+)$/;
const DEFAULT_FAULT_KINDS: GraphFaultKind[] = ["429", "500"];
const MAX_BODY_BYTES = 4 * 1024 * 1024;

/** Starts the fake on 127.0.0.1 with an OS-chosen port. */
export async function startFakeGraphApi(options: FakeGraphApiOptions = {}): Promise<FakeGraphApi> {
  const calls: RecordedCall[] = [];
  const media = new Map<string, { bytes: Buffer; mimeType: string }>();
  const closedWindows = new Set<string>();
  const held = new Set<ServerResponse>();
  const waiters = new Set<() => void>();
  const runId = randomBytes(4).toString("hex");
  let sequence = 0;
  let faults: Required<Omit<GraphFaults, "seed">> = defaultFaults(options);
  let random = createRandom(options.seed ?? 1);
  let url = "";

  const record = (call: RecordedCall): void => {
    calls.push(call);
    for (const waiter of waiters) waiter();
  };

  const answerMessages = (body: unknown): Answer => {
    if (faults.failureRate > 0 && random() < faults.failureRate) {
      const kind = faults.failureKinds[Math.floor(random() * faults.failureKinds.length)] ?? "500";
      return answerFault(kind);
    }
    const error = validateMessageBody(body, options.templates);
    if (error) return graphError(error);
    if (isRecord(body) && body.status === "read") return { status: 200, body: { success: true } };
    const to = isRecord(body) && typeof body.to === "string" ? body.to : "";
    if (closedWindows.has(digitsOf(to)) && isRecord(body) && body.type !== "template") {
      const details = "More than 24 hours have passed since the recipient last replied to the sender number.";
      return graphError({ status: 400, code: 131047, title: "Re-engagement message", details });
    }
    sequence++;
    const message: Record<string, string> = {
      id: `wamid.FAKE${runId}${sequence.toString(36).padStart(8, "0")}`,
    };
    if (isRecord(body) && body.type === "template") message.message_status = "accepted";
    return {
      status: 200,
      body: {
        messaging_product: "whatsapp",
        contacts: [{ input: to, wa_id: digitsOf(to) }],
        messages: [message],
      },
    };
  };

  const route = (req: IncomingMessage, path: string, body: unknown): Answer | "hold" | "download" => {
    if (options.accessToken && req.headers.authorization !== `Bearer ${options.accessToken}`) {
      return graphError({
        status: 401,
        code: 190,
        title: "Invalid OAuth access token - Cannot parse access token",
      });
    }
    if (req.method === "POST" && MESSAGES_PATH.test(path)) {
      const answer = answerMessages(body);
      return answer.status === 0 ? "hold" : answer;
    }
    if (req.method === "GET" && DOWNLOAD_PATH.test(path)) return "download";
    const mediaId = req.method === "GET" ? MEDIA_PATH.exec(path)?.[1] : undefined;
    const item = mediaId === undefined ? undefined : media.get(mediaId);
    if (mediaId !== undefined && item) {
      const file = { url: `${url}/media-download/${mediaId}`, mime_type: item.mimeType, id: mediaId };
      const sha256 = hashBase64(item.bytes);
      return {
        status: 200,
        body: { messaging_product: "whatsapp", ...file, sha256, file_size: item.bytes.length },
      };
    }
    return graphError({ status: 400, code: 100, title: `Unsupported ${req.method?.toLowerCase()} request` });
  };

  const handle = (req: IncomingMessage, res: ServerResponse, raw: Buffer): void => {
    const at = Date.now();
    const path = (req.url ?? "/").split("?")[0] ?? "/";
    const body = parseJson(raw);
    const answer = route(req, path, body);
    const call: RecordedCall = {
      method: req.method ?? "",
      path,
      headers: req.headers,
      body,
      status: 0,
      responseBody: undefined,
      at,
    };
    if (answer === "hold") {
      held.add(res);
      res.on("close", () => held.delete(res));
      record(call);
      return;
    }
    if (answer === "download") {
      const item = media.get(DOWNLOAD_PATH.exec(path)?.[1] ?? "");
      call.status = item ? 200 : 404;
      record(call);
      res.writeHead(call.status, { "content-type": item?.mimeType ?? "text/plain" });
      res.end(item?.bytes ?? "not found");
      return;
    }
    call.status = answer.status;
    call.responseBody = answer.body;
    record(call);
    const send = () => {
      res.writeHead(answer.status, { "content-type": "application/json", ...answer.headers });
      res.end(JSON.stringify(answer.body));
    };
    if (faults.latencyMs > 0) setTimeout(send, faults.latencyMs);
    else send();
  };

  const server = createServer({ keepAliveTimeout: 65_000 }, (req, res) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on("end", () => handle(req, res, Buffer.concat(chunks)));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("fake Graph API has no TCP address");
  url = `http://127.0.0.1:${address.port}`;

  return {
    url,
    calls,
    messagesTo: (waId) => calls.filter((call) => isRecord(call.body) && sameRecipient(call.body.to, waId)),
    setFaults(next) {
      faults = { ...faults, ...withoutUndefined(next) };
      if (next.seed !== undefined) random = createRandom(next.seed);
    },
    addMedia: (id, bytes, mimeType) => void media.set(id, { bytes, mimeType }),
    setWindowClosed(waId, closed = true) {
      if (closed) closedWindows.add(digitsOf(waId));
      else closedWindows.delete(digitsOf(waId));
    },
    waitForCalls(count, timeoutMs = 5_000) {
      if (calls.length >= count) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`fake Graph API saw ${calls.length} of ${count} calls within ${timeoutMs} ms`));
        }, timeoutMs);
        const check = () => {
          if (calls.length < count) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve();
        };
        waiters.add(check);
      });
    },
    reset() {
      calls.length = 0;
      closedWindows.clear();
      faults = defaultFaults(options);
      random = createRandom(options.seed ?? 1);
    },
    async close() {
      for (const res of held) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
function answerFault(kind: GraphFaultKind): Answer {
  switch (kind) {
    case "timeout":
      return { status: 0, body: undefined };
    case "500":
      return graphError({
        status: 500,
        code: 131000,
        title: "Something went wrong",
        details: "Internal error",
      });
    case "131056":
      return graphError({
        status: 400,
        code: 131056,
        title: "(Business Account, Consumer Account) pair rate limit hit",
      });
    case "429":
      return {
        ...graphError({ status: 429, code: 130429, title: "Rate limit hit" }),
        headers: { "retry-after": "1" },
      };
    case "130429":
      return graphError({
        status: 400,
        code: 130429,
        title: "Rate limit hit",
        details: "Cloud API message throughput has been reached.",
      });
  }
}

function graphError(spec: GraphErrorSpec): Answer {
  const error: Record<string, unknown> = {
    message: `(#${spec.code}) ${spec.title}`,
    type: "OAuthException",
    code: spec.code,
  };
  if (spec.details) error.error_data = { messaging_product: "whatsapp", details: spec.details };
  error.fbtrace_id = "FAKE";
  return { status: spec.status, body: { error } };
}

function defaultFaults(options: GraphFaults): Required<Omit<GraphFaults, "seed">> {
  return {
    latencyMs: options.latencyMs ?? 0,
    failureRate: options.failureRate ?? 0,
    failureKinds: options.failureKinds?.length ? options.failureKinds : DEFAULT_FAULT_KINDS,
  };
}

function withoutUndefined(faults: GraphFaults): Partial<Required<Omit<GraphFaults, "seed">>> {
  const result: Partial<Required<Omit<GraphFaults, "seed">>> = {};
  if (faults.latencyMs !== undefined) result.latencyMs = faults.latencyMs;
  if (faults.failureRate !== undefined) result.failureRate = faults.failureRate;
  if (faults.failureKinds?.length) result.failureKinds = faults.failureKinds;
  return result;
}

/** mulberry32: a tiny seeded PRNG, so fault sequences are reproducible. */
function createRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function parseJson(raw: Buffer): unknown {
  if (raw.length === 0) return undefined;
  try {
    return JSON.parse(raw.toString("utf8"));
  } catch {
    return raw.toString("utf8");
  }
}

function sameRecipient(to: unknown, waId: string): boolean {
  return typeof to === "string" && (to === waId || (digitsOf(to) !== "" && digitsOf(to) === digitsOf(waId)));
}

function digitsOf(value: string): string {
  return value.replace(/\D/g, "");
}

function hashBase64(bytes: Buffer): string {
  return createHash("sha256").update(bytes).digest("base64");
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
