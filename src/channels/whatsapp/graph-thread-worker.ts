/**
 * The worker side of graph-thread.ts: runs the requests of every threaded Graph client of the process
 * with the ordinary client (graph-client.ts), one per client id, and posts back each answer or error.
 */
import { parentPort } from "node:worker_threads";
import { createGraphClient, type GraphClient } from "./graph-client.ts";
import type { ThreadReply, ThreadRequest } from "./graph-thread.ts";

const port = parentPort;
if (!port) throw new Error("graph-thread-worker runs as a worker thread only");

const clients = new Map<number, GraphClient>();

port.on("message", (request: ThreadRequest) => {
  if (request.type === "open") {
    clients.set(request.clientId, createGraphClient(request.config));
    return;
  }
  const client = clients.get(request.clientId);
  if (request.type === "close") {
    clients.delete(request.clientId);
    void client
      ?.close()
      .finally(() => port.postMessage({ type: "closed", id: request.id } satisfies ThreadReply));
    return;
  }
  if (!client) {
    reply(request.id, Promise.reject(new Error(`Graph client ${request.clientId} is closed`)));
    return;
  }
  reply(
    request.id,
    request.type === "json"
      ? client.requestJson(request.method, request.path, request.body)
      : client.requestBytes(request.url),
  );
});

function reply(id: number, answer: Promise<unknown>): void {
  answer.then(
    (value) => port?.postMessage({ type: "answer", id, value } satisfies ThreadReply),
    (error: unknown) => {
      const { name, message, code } = error instanceof Error ? (error as Error & { code?: unknown }) : {};
      port?.postMessage({
        type: "error",
        id,
        error: {
          name: typeof name === "string" ? name : "Error",
          message: typeof message === "string" ? message : String(error),
          ...(typeof code === "string" ? { code } : {}),
        },
      } satisfies ThreadReply);
    },
  );
}
