/**
 * A minimal HTTP client for one Graph API base URL: keep-alive connections through one undici
 * Agent, bearer auth, and a hard per-request deadline. Network failures are thrown, HTTP errors not.
 */
import { Agent } from "undici";

export interface GraphClientConfig {
  graphUrl: string;
  accessToken: string;
  timeoutMs: number;
  connections: number;
}

export interface GraphJsonResponse {
  status: number;
  body: unknown;
  retryAfter: string | null;
}

export interface GraphBytesResponse {
  status: number;
  bytes: Buffer;
  contentType?: string;
  contentDisposition?: string;
}

export interface GraphClient {
  /** Sends JSON to a path under graphUrl (e.g. "/v25.0/123/messages") and reads the JSON answer. */
  requestJson(method: "GET" | "POST", path: string, body?: unknown): Promise<GraphJsonResponse>;
  /** GETs an absolute URL (a media download link) with the bearer token. */
  requestBytes(url: string): Promise<GraphBytesResponse>;
  close(): Promise<void>;
}

/** Creates a client whose Agent keeps a pool of keep-alive connections per origin. */
export function createGraphClient(config: GraphClientConfig): GraphClient {
  const base = new URL(config.graphUrl);
  const origin = base.origin;
  const prefix = base.pathname.replace(/\/+$/, "");
  const agent = new Agent({
    connections: config.connections,
    keepAliveTimeout: 30_000,
    pipelining: 1,
    headersTimeout: config.timeoutMs,
    bodyTimeout: config.timeoutMs,
  });
  const authorization = `Bearer ${config.accessToken}`;
  // Built once: every send carries the same two headers.
  const getHeaders = { authorization };
  const postHeaders = { authorization, "content-type": "application/json" };
  const deadlines = createDeadlines(config.timeoutMs);

  /** Runs one request and reads its body with `read`, all of it within the deadline. */
  const exchange = async <T>(
    requestOrigin: string,
    path: string,
    method: "GET" | "POST",
    body: string | undefined,
    read: (response: Awaited<ReturnType<Agent["request"]>>) => Promise<T>,
  ): Promise<T> => {
    const deadline = deadlines.start();
    try {
      const response = await agent.request({
        origin: requestOrigin,
        path,
        method,
        headers: body === undefined ? getHeaders : postHeaders,
        body,
        signal: deadline.signal,
      });
      return await read(response);
    } finally {
      deadlines.finish(deadline);
    }
  };

  return {
    requestJson(method, path, body) {
      const json = body === undefined ? undefined : JSON.stringify(body);
      return exchange(origin, `${prefix}${path}`, method, json, async (response) => ({
        status: response.statusCode,
        body: parseJson(await response.body.text()),
        retryAfter: readHeader(response.headers["retry-after"]) ?? null,
      }));
    },
    requestBytes(url) {
      const target = new URL(url);
      return exchange(
        target.origin,
        `${target.pathname}${target.search}`,
        "GET",
        undefined,
        async (response) => {
          const bytes = Buffer.from(await response.body.arrayBuffer());
          const result: GraphBytesResponse = { status: response.statusCode, bytes };
          const contentType = readHeader(response.headers["content-type"]);
          const contentDisposition = readHeader(response.headers["content-disposition"]);
          if (contentType !== undefined) result.contentType = contentType;
          if (contentDisposition !== undefined) result.contentDisposition = contentDisposition;
          return result;
        },
      );
    },
    close: () => agent.close(),
  };
}

/**
 * Per-request deadlines on one coarse timer, running only while requests are in flight. A timer and a
 * timeout signal per request (AbortSignal.timeout) would stay pending for the whole timeout after the
 * answer arrived; here a finished request is simply forgotten. A request is aborted between `timeoutMs`
 * and `timeoutMs` + one tick (at most 250 ms) after it started, with the TimeoutError AbortSignal.timeout
 * would give.
 */
function createDeadlines(timeoutMs: number) {
  const tickMs = Math.max(10, Math.min(250, Math.floor(timeoutMs / 20)));
  // Insertion order is expiry order, since every request gets the same timeout.
  const pending = new Map<AbortController, number>();
  let timer: NodeJS.Timeout | undefined;

  const sweep = () => {
    const now = performance.now();
    for (const [controller, expiresAt] of pending) {
      if (expiresAt > now) break;
      pending.delete(controller);
      controller.abort(new DOMException(`no answer within ${timeoutMs} ms`, "TimeoutError"));
    }
    if (pending.size === 0) {
      clearInterval(timer);
      timer = undefined;
    }
  };

  return {
    start(): AbortController {
      const controller = new AbortController();
      pending.set(controller, performance.now() + timeoutMs);
      if (timer === undefined) {
        timer = setInterval(sweep, tickMs);
        timer.unref();
      }
      return controller;
    },
    finish(controller: AbortController): void {
      pending.delete(controller);
    },
  };
}

function readHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** Graph answers JSON, but proxies and outages answer HTML; keep the text for the error message. */
function parseJson(text: string): unknown {
  if (text === "") return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
