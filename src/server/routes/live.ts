/**
 * GET /api/live: a WebSocket that forwards the runtime's live events of the caller's organization
 * matching what the client subscribed to (`{"type":"subscribe","flow_id"|"execution_id"|"contact_id":
 * "..."}`, several allowed; `unsubscribe` undoes one). Authenticated like every route: the upgrade
 * request carries the session cookie or a bearer token.
 */
import fastifyWebsocket from "@fastify/websocket";
import type { FastifyPluginAsync } from "fastify";
import { z } from "zod";
import type { LiveBus, LiveEvent } from "../../runtime/live-bus.ts";
import { requireRole } from "../auth.ts";
import { presentLiveEvent } from "../presenters/execution-live.ts";
import { getOrganizationId } from "../services/scope.ts";

/** The part of a `ws` socket this route uses (the package ships no types of its own). */
interface LiveSocket {
  readonly bufferedAmount: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  on(event: "message", listener: (data: Buffer | string) => void): void;
  on(event: "close", listener: () => void): void;
}

const MAX_SUBSCRIPTIONS = 100;
/** A client this far behind is disconnected rather than buffered without end. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
const id = z.string().min(1).max(200);
const clientMessage = z
  .object({
    type: z.enum(["subscribe", "unsubscribe"]),
    flow_id: id.optional(),
    execution_id: id.optional(),
    contact_id: id.optional(),
  })
  .refine((message) => message.flow_id ?? message.execution_id ?? message.contact_id, {
    message: "Name a flow_id, execution_id or contact_id.",
  });

/** Registers @fastify/websocket (in this plugin's scope) and GET /api/live. */
export function createLiveRoutes(bus: LiveBus): FastifyPluginAsync {
  return async (app) => {
    await app.register(fastifyWebsocket, { options: { maxPayload: 16 * 1024 } });
    app.get(
      "/api/live",
      { websocket: true, preHandler: requireRole("viewer") },
      (socket: LiveSocket, request) => {
        const organizationId = getOrganizationId(request.principal);
        const subscriptions = new Set<string>();
        const unsubscribe = bus.subscribe((event) => {
          if (event.organizationId !== organizationId || !matches(subscriptions, event)) return;
          if (socket.bufferedAmount > MAX_BUFFERED_BYTES) return socket.close(1013, "Too far behind");
          socket.send(JSON.stringify(presentLiveEvent(event)));
        });
        socket.on("close", unsubscribe);
        socket.on("message", (data) => {
          const parsed = clientMessage.safeParse(readJson(data));
          if (!parsed.success) {
            socket.send(
              JSON.stringify({
                type: "error",
                data: { code: "VALIDATION_FAILED", error: describe(parsed.error) },
              }),
            );
            return;
          }
          const { type, ...names } = parsed.data;
          const keys = keysOf(names);
          if (type === "unsubscribe") for (const key of keys) subscriptions.delete(key);
          else {
            for (const key of keys) if (subscriptions.size < MAX_SUBSCRIPTIONS) subscriptions.add(key);
          }
          socket.send(
            JSON.stringify({ type: type === "subscribe" ? "subscribed" : "unsubscribed", data: names }),
          );
        });
      },
    );
  };
}

function keysOf(names: { flow_id?: string; execution_id?: string; contact_id?: string }): string[] {
  return [
    ...(names.flow_id ? [`flow:${names.flow_id}`] : []),
    ...(names.execution_id ? [`execution:${names.execution_id}`] : []),
    ...(names.contact_id ? [`contact:${names.contact_id}`] : []),
  ];
}

function matches(subscriptions: ReadonlySet<string>, event: LiveEvent): boolean {
  if (subscriptions.has(`contact:${event.contactId}`)) return true;
  switch (event.type) {
    case "execution_update":
      return subscriptions.has(`flow:${event.flowId}`) || subscriptions.has(`execution:${event.executionId}`);
    case "message_update":
      return event.executionId !== null && subscriptions.has(`execution:${event.executionId}`);
    case "inbound_message":
      return false;
  }
}

function readJson(data: Buffer | string): unknown {
  try {
    return JSON.parse(data.toString());
  } catch {
    return null;
  }
}

function describe(error: z.ZodError): string {
  return error.issues.map((issue) => issue.message).join("; ");
}
