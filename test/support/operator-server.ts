/**
 * The route-test server of the operator routes (executions, simulator, conversations, live, triggers,
 * media): the store test server plus a REAL runtime on the same database, a web channel for web
 * channels and a fake sender for the others, and helpers to make channels and published flows.
 */
import { mkdtempSync } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createWebChannel, type WebChannel } from "../../src/channels/web/index.ts";
import type { ChannelKind } from "../../src/core/channel.ts";
import { type FlowGraph, flowGraphSchema } from "../../src/core/flow.ts";
import { createRuntime } from "../../src/runtime/runtime.ts";
import type { Runtime } from "../../src/runtime/runtime-types.ts";
import { loadConfig } from "../../src/server/config.ts";
import { createOperatorPlugins } from "../../src/server/routes/operator-routes.ts";
import { deriveTokenKey, signAccessToken } from "../../src/server/tokens.ts";
import {
  type ChannelRecord,
  createChannel,
  createFlow,
  type FlowRecord,
  publishFlow,
} from "../../src/store/index.ts";
import { createFakeChannel, type FakeChannel } from "../fakes/fake-channel.ts";
import { buildStoreTestServer, type StoreTestServer } from "./server.ts";

export interface OperatorTestServer extends StoreTestServer {
  runtime: Runtime;
  webChannel: WebChannel;
  /** Receives what WhatsApp and Telegram channels send. */
  sender: FakeChannel;
  mediaDir: string;
  /** An `Authorization` header value with an API-client token of `org`. */
  bearer(org?: "a" | "b"): Promise<string>;
  addChannel(org: "a" | "b", kind: ChannelKind, name?: string): Promise<ChannelRecord>;
  /** Creates a flow from `graph`; published (version 1) unless `publish` is false. */
  addFlow(
    org: "a" | "b",
    graph: unknown,
    options?: { name?: string; publish?: boolean },
  ): Promise<FlowRecord>;
}

/** Builds the server with the operator plugins registered and the runtime started. */
export async function buildOperatorTestServer(): Promise<OperatorTestServer> {
  const server = await buildStoreTestServer();
  const mediaDir = mkdtempSync(join(tmpdir(), "parley-media-"));
  const webChannel = createWebChannel();
  const sender = createFakeChannel("whatsapp");
  const runtime = createRuntime({
    database: server.database,
    directory: { senderFor: (channel) => (channel.kind === "web" ? webChannel : sender) },
    options: { timerIntervalMs: 50, sweepIntervalMs: 100, baseBackoffMs: 20, maxBackoffMs: 200, mediaDir },
  });
  const config = loadConfig({ PARLEY_SECRET_KEY: "22".repeat(32), LOG_LEVEL: "silent" }, { cwd: mediaDir });
  for (const plugin of createOperatorPlugins({
    database: server.database,
    runtime,
    webChannel,
    config,
    mediaDir,
  })) {
    await server.app.register(plugin);
  }
  await runtime.start();
  const db = server.database.db;
  return {
    ...server,
    runtime,
    webChannel,
    sender,
    mediaDir,
    async bearer(org = "a") {
      const key = deriveTokenKey(config.security.secretKey);
      const token = await signAccessToken(
        { organizationId: server.orgs[org].id, clientId: `client-${org}`, role: "admin" },
        key,
        3600,
      );
      return `Bearer ${token}`;
    },
    addChannel(org, kind, name = `${kind} line`) {
      return createChannel(db, {
        organizationId: server.orgs[org].id,
        kind,
        name,
        externalId: `${org}-${kind}-${Math.random().toString(36).slice(2)}`,
        at: Date.now(),
      });
    },
    async addFlow(org, graph, options = {}) {
      const organizationId = server.orgs[org].id;
      const parsed: FlowGraph = flowGraphSchema.parse(graph);
      const flow = await createFlow(db, {
        organizationId,
        name: options.name ?? "Flow",
        graph: parsed,
        at: Date.now(),
      });
      if (options.publish === false) return flow;
      const published = await publishFlow(db, organizationId, flow.id, keywordsOf(parsed));
      if (!published) throw new Error("publish failed");
      return published.flow;
    },
    async close() {
      await runtime.stop();
      await server.close();
      await rm(mediaDir, { recursive: true, force: true });
    },
  };
}

/** Start → question (Yes/No) → a text per answer: a flow that waits for input. */
export function questionGraph(keywords: string[] = ["hello"]) {
  return {
    nodes: [
      { id: "start", type: "start", position: { x: 0, y: 0 }, data: { keywords } },
      {
        id: "ask",
        type: "question",
        position: { x: 0, y: 100 },
        data: {
          body: "Do you like tea?",
          options: [
            { id: "yes", title: "Yes" },
            { id: "no", title: "No" },
          ],
          saveAnswerTo: "likesTea",
        },
      },
      { id: "thanks", type: "text", position: { x: 0, y: 200 }, data: { text: "Great, {{likesTea}}!" } },
      { id: "sorry", type: "text", position: { x: 200, y: 200 }, data: { text: "Coffee then." } },
    ],
    edges: [
      { id: "e1", source: "start", target: "ask" },
      { id: "e2", source: "ask", sourceHandle: "option-yes", target: "thanks" },
      { id: "e3", source: "ask", sourceHandle: "option-no", target: "sorry" },
    ],
  };
}

function keywordsOf(graph: FlowGraph): string[] {
  return graph.nodes
    .filter((node) => node.type === "start")
    .flatMap((node) => {
      const keywords = node.data.keywords;
      return Array.isArray(keywords) ? keywords.map((keyword) => String(keyword).trim().toLowerCase()) : [];
    });
}
