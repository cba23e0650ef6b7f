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
  const prefix = base.pathname.replace(/\/+$/, "");
  const agent = new Agent({ connections: config.connections, keepAliveTimeout: 30_000, pipelining: 1 });
  const authorization = `Bearer ${config.accessToken}`;

  const request = (url: URL, method: "GET" | "POST", body?: string) =>
    agent.request({
      origin: url.origin,
      path: `${url.pathname}${url.search}`,
      method,
      headers: body === undefined ? { authorization } : { authorization, "content-type": "application/json" },
      body,
      signal: AbortSignal.timeout(config.timeoutMs),
      headersTimeout: config.timeoutMs,
      bodyTimeout: config.timeoutMs,
    });

  return {
    async requestJson(method, path, body) {
      const url = new URL(`${prefix}${path}`, base.origin);
      const response = await request(url, method, body === undefined ? undefined : JSON.stringify(body));
      const text = await response.body.text();
      return {
        status: response.statusCode,
        body: parseJson(text),
        retryAfter: readHeader(response.headers["retry-after"]) ?? null,
      };
    },
    async requestBytes(url) {
      const response = await request(new URL(url), "GET");
      const bytes = Buffer.from(await response.body.arrayBuffer());
      const result: GraphBytesResponse = { status: response.statusCode, bytes };
      const contentType = readHeader(response.headers["content-type"]);
      const contentDisposition = readHeader(response.headers["content-disposition"]);
      if (contentType !== undefined) result.contentType = contentType;
      if (contentDisposition !== undefined) result.contentDisposition = contentDisposition;
      return result;
    },
    close: () => agent.close(),
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
