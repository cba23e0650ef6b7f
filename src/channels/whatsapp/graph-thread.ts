/**
 * Graph API clients whose HTTP runs on one shared worker thread. Under load the main thread is the
 * server's bottleneck (webhooks, steps, SQLite commits), and two Graph requests per turn (the reply
 * and the read receipt) cost it more in socket writes and HTTP parsing than handing them over does;
 * the worker puts them on the other core. Same interface and errors as createGraphClient: each
 * request runs there with the ordinary client, and a failure comes back with its name, message and
 * code, so timeouts are still classified as timeouts.
 *
 * The worker is a compiled module next to the server bundle (dist/server/graph-thread-worker.js);
 * `graphThreadWorkerUrl()` finds it. Under tsx (`npm run dev`, tests of the app in-process) there is
 * none and senders keep their HTTP on the main thread.
 */
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type {
  GraphBytesResponse,
  GraphClient,
  GraphClientConfig,
  GraphJsonResponse,
} from "./graph-client.ts";

export type ThreadRequest =
  | { type: "open"; clientId: number; config: GraphClientConfig }
  | { type: "close"; clientId: number; id: number }
  | { type: "json"; clientId: number; id: number; method: "GET" | "POST"; path: string; body?: unknown }
  | { type: "bytes"; clientId: number; id: number; url: string };

export type ThreadReply =
  | { type: "answer"; id: number; value: unknown }
  | { type: "error"; id: number; error: { name: string; message: string; code?: string } }
  | { type: "closed"; id: number };

/**
 * The compiled worker module next to this one, when there is one (the bundled server); undefined
 * under tsx, where this file is TypeScript.
 */
export function graphThreadWorkerUrl(): URL | undefined {
  const url = new URL("./graph-thread-worker.js", import.meta.url);
  return import.meta.url.endsWith(".js") && existsSync(fileURLToPath(url)) ? url : undefined;
}

interface Pending {
  resolve(value: unknown): void;
  reject(error: unknown): void;
}

interface Thread {
  worker: Worker;
  /** Clients opened on this worker. */
  clients: Set<number>;
  pending: Map<number, Pending>;
}

/** The shared worker per module URL, started with the first client and stopped with the last one. */
const threads = new Map<string, Thread>();
let nextId = 1;

function thread(workerUrl: URL): Thread {
  const running = threads.get(workerUrl.href);
  if (running) return running;
  // Its live data is a few requests in flight, but it allocates fast. Capping the young generation
  // trades memory for scavenges: in bench:e2e (closed loop) V8's default gave a peak RSS of ~267 MB,
  // 24 MB ~229 MB, 6 MB ~216 MB but ~13 % fewer turns/s, its scavenges competing with the main thread
  // for the second core.
  const worker = new Worker(workerUrl, { resourceLimits: { maxYoungGenerationSizeMb: 24 } });
  const pending = new Map<number, Pending>();
  const state: Thread = { worker, clients: new Set(), pending };
  worker.on("message", (reply: ThreadReply) => {
    const waiter = pending.get(reply.id);
    if (!waiter) return;
    pending.delete(reply.id);
    if (pending.size === 0) worker.unref();
    if (reply.type === "error") waiter.reject(Object.assign(new Error(reply.error.message), reply.error));
    else waiter.resolve(reply.type === "answer" ? reply.value : undefined);
  });
  // The worker died (it should not) or was stopped: what was in flight fails (the dispatcher retries
  // it), and the next request starts a new worker, where each client opens itself again.
  const stop = (error: Error) => {
    if (threads.get(workerUrl.href) === state) threads.delete(workerUrl.href);
    for (const waiter of pending.values()) waiter.reject(error);
    pending.clear();
  };
  worker.on("error", stop);
  worker.on("exit", () => stop(new Error("The Graph worker thread stopped")));
  worker.unref();
  threads.set(workerUrl.href, state);
  return state;
}

/** Stops the Graph worker thread of `workerUrl`, failing its requests in flight (shutdown, tests). */
export async function stopGraphThread(workerUrl: URL): Promise<void> {
  await threads.get(workerUrl.href)?.worker.terminate();
}

/** Creates a client whose requests run on the worker thread of `workerUrl` (graphThreadWorkerUrl()). */
export function createThreadedGraphClient(config: GraphClientConfig, workerUrl: URL): GraphClient {
  const clientId = nextId++;
  let closed = false;

  /** The running worker, with this client opened on it. */
  function open(): Thread {
    const state = thread(workerUrl);
    if (!state.clients.has(clientId)) {
      state.clients.add(clientId);
      state.worker.postMessage({ type: "open", clientId, config } satisfies ThreadRequest);
    }
    return state;
  }

  function call<T>(state: Thread, request: ThreadRequest & { id: number }): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      if (state.pending.size === 0) state.worker.ref();
      state.pending.set(request.id, { resolve: resolve as (value: unknown) => void, reject });
      state.worker.postMessage(request);
    });
  }

  function request<T>(request: ThreadRequest & { id: number }): Promise<T> {
    if (closed) return Promise.reject(new Error("The Graph client is closed"));
    return call<T>(open(), request);
  }

  open();
  return {
    requestJson(method, path, body) {
      return request<GraphJsonResponse>({ type: "json", clientId, id: nextId++, method, path, body });
    },
    async requestBytes(url) {
      const answer = await request<GraphBytesResponse>({ type: "bytes", clientId, id: nextId++, url });
      // A Buffer crosses the thread as a plain Uint8Array.
      return {
        ...answer,
        bytes: Buffer.from(answer.bytes.buffer, answer.bytes.byteOffset, answer.bytes.length),
      };
    },
    async close() {
      if (closed) return;
      closed = true;
      const state = threads.get(workerUrl.href);
      if (!state?.clients.delete(clientId)) return;
      await call(state, { type: "close", clientId, id: nextId++ });
      if (state.clients.size === 0 && threads.get(workerUrl.href) === state) {
        threads.delete(workerUrl.href);
        await state.worker.terminate();
      }
    },
  };
}
