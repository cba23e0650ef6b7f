/**
 * Outbound HTTP for `http_request` nodes and questionnaire submits, with a timeout, a size cap and
 * an SSRF guard: private, loopback, link-local and other internal addresses are refused — also when
 * a public name resolves to one — unless the configured allowlist names the host or its network.
 */
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { BlockList, isIP } from "node:net";
import { Agent, request } from "undici";
import type { HttpRequestSpec } from "../core/execution.ts";

export interface HttpResult {
  ok: boolean;
  status?: number;
  body?: unknown;
  error?: string;
}

export interface HttpClient {
  send(spec: HttpRequestSpec): Promise<HttpResult>;
  close(): Promise<void>;
}

export interface HttpClientOptions {
  /** Hosts (`crm.internal`) or networks (`10.1.0.0/16`, `127.0.0.1`) allowed despite the guard. */
  allowlist?: readonly string[];
  maxResponseBytes?: number;
}

const BLOCKED = new BlockList();
for (const [network, prefix] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const) {
  BLOCKED.addSubnet(network, prefix, "ipv4");
}
for (const [network, prefix] of [
  ["::", 128],
  ["::1", 128],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
] as const) {
  BLOCKED.addSubnet(network, prefix, "ipv6");
}

/** True when an address is internal (IPv4-mapped IPv6 addresses are judged as IPv4). */
export function isInternalAddress(address: string): boolean {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1]) return BLOCKED.check(mapped[1], "ipv4");
  const family = isIP(address);
  if (family === 0) return true;
  return BLOCKED.check(address, family === 4 ? "ipv4" : "ipv6");
}

export function createHttpClient(options: HttpClientOptions = {}): HttpClient {
  const allowedHosts = new Set<string>();
  const allowedNetworks = new BlockList();
  for (const entry of options.allowlist ?? []) {
    const [host, prefix] = entry.trim().split("/");
    if (!host) continue;
    const family = isIP(host);
    if (family === 0) allowedHosts.add(host.toLowerCase());
    else if (prefix === undefined) allowedNetworks.addAddress(host, family === 4 ? "ipv4" : "ipv6");
    else allowedNetworks.addSubnet(host, Number(prefix), family === 4 ? "ipv4" : "ipv6");
  }
  const isAllowedAddress = (address: string) => {
    const family = isIP(address);
    return family !== 0 && allowedNetworks.check(address, family === 4 ? "ipv4" : "ipv6");
  };
  const maxBytes = options.maxResponseBytes ?? 1024 * 1024;

  // The guard runs inside the connection's own DNS lookup, so a name cannot resolve to a public
  // address for the check and to an internal one for the connection (DNS rebinding).
  const agent = new Agent({
    connect: {
      lookup(hostname, lookupOptions, callback) {
        dnsLookup(hostname, { ...lookupOptions, all: true }, (error, addresses: LookupAddress[]) => {
          if (error) return callback(error, []);
          const hostAllowed = allowedHosts.has(hostname.toLowerCase());
          const refused = addresses.find(
            (a) => !hostAllowed && isInternalAddress(a.address) && !isAllowedAddress(a.address),
          );
          if (refused) return callback(new TargetForbiddenError(hostname, refused.address), []);
          callback(null, addresses);
        });
      },
    },
  });

  return {
    async send(spec) {
      let url: URL;
      try {
        url = new URL(spec.url);
      } catch {
        return { ok: false, error: `Invalid URL: ${spec.url}` };
      }
      if (url.protocol !== "http:" && url.protocol !== "https:")
        return { ok: false, error: "Only http(s) URLs are allowed" };
      const host = url.hostname.replace(/^\[|\]$/g, "");
      if (isIP(host) !== 0 && isInternalAddress(host) && !isAllowedAddress(host) && !allowedHosts.has(host)) {
        return { ok: false, error: `HTTP_TARGET_FORBIDDEN: ${host} is an internal address` };
      }
      try {
        const response = await request(url, {
          method: spec.method as "GET",
          headers: spec.headers,
          ...(spec.body === undefined ? {} : { body: spec.body }),
          dispatcher: agent,
          headersTimeout: spec.timeoutMs,
          bodyTimeout: spec.timeoutMs,
          signal: AbortSignal.timeout(spec.timeoutMs),
        });
        const text = await readCapped(response.body, maxBytes);
        const ok = response.statusCode >= 200 && response.statusCode < 300;
        const body = parseBody(text, String(response.headers["content-type"] ?? ""));
        return ok
          ? { ok, status: response.statusCode, body }
          : { ok, status: response.statusCode, body, error: `HTTP ${response.statusCode}` };
      } catch (error) {
        if (
          error instanceof TargetForbiddenError ||
          (error instanceof Error && error.cause instanceof TargetForbiddenError)
        ) {
          return {
            ok: false,
            error: `HTTP_TARGET_FORBIDDEN: ${(error instanceof TargetForbiddenError ? error : (error.cause as Error)).message}`,
          };
        }
        return { ok: false, error: error instanceof Error ? error.message : String(error) };
      }
    },
    close: () => agent.close(),
  };
}

class TargetForbiddenError extends Error {
  constructor(hostname: string, address: string) {
    super(`${hostname} resolves to the internal address ${address}`);
    this.name = "TargetForbiddenError";
  }
}

async function readCapped(body: AsyncIterable<Buffer | Uint8Array>, maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > maxBytes) throw new Error(`Response larger than ${maxBytes} bytes`);
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks).toString("utf8");
}

function parseBody(text: string, contentType: string): unknown {
  if (text === "") return null;
  if (contentType.includes("json") || /^\s*[[{]/.test(text)) {
    try {
      return JSON.parse(text);
    } catch {
      return text;
    }
  }
  return text;
}
