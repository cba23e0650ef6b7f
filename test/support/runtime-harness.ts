/**
 * Builds a real runtime on a real database (SQLite or PostgreSQL) and work queue (in-process, or
 * BullMQ on Redis) with an organization, a channel backed by a fake sender, and helpers to publish
 * flows and deliver inbound messages.
 */
import { randomUUID } from "node:crypto";
import type { InboundMessage } from "../../src/core/channel.ts";
import { type FlowGraph, flowGraphSchema } from "../../src/core/flow.ts";
import { createRuntime, type RuntimeDeps } from "../../src/runtime/runtime.ts";
import type { Runtime } from "../../src/runtime/runtime-types.ts";
import type { Database } from "../../src/store/database.ts";
import { migrateToLatest } from "../../src/store/migrate.ts";
import type { ChannelRecord, OrganizationRecord } from "../../src/store/records.ts";
import { createChannel } from "../../src/store/repositories/channels.ts";
import { publishFlow } from "../../src/store/repositories/flow-versions.ts";
import { createFlow, updateFlow } from "../../src/store/repositories/flows.ts";
import { createOrganization } from "../../src/store/repositories/organizations.ts";
import { createFakeChannel, type FakeChannel } from "../fakes/fake-channel.ts";
import { type TestDatabase, testDatabases } from "./databases.ts";
import { bullMqQueue, type TestQueue, testQueues } from "./queues.ts";

/** A database, and the queue to run on it (in-process when unset). */
export interface RuntimeTarget {
  name: string;
  open: TestDatabase["open"];
  queue?: TestQueue;
}

/** Every store dialect with in-process lanes, plus PostgreSQL with BullMQ (DESIGN §7's two modes). */
export async function testRuntimeTargets(): Promise<RuntimeTarget[]> {
  const databases = await testDatabases();
  const queues = await testQueues();
  const postgres = databases.find((database) => database.name === "postgres");
  if (!postgres || !queues.includes(bullMqQueue)) return databases;
  return [...databases, { name: "postgres + bullmq", open: postgres.open, queue: bullMqQueue }];
}

export interface RuntimeHarness {
  database: Database;
  runtime: Runtime;
  organization: OrganizationRecord;
  channel: ChannelRecord;
  sender: FakeChannel;
  clock: { offsetMs: number };
  publish(graph: unknown, name?: string): Promise<{ flowId: string; versionId: string }>;
  republish(flowId: string, graph: unknown): Promise<string>;
  message(from: string, text: string, extra?: Partial<InboundMessage>): InboundMessage;
  deliver(...messages: InboundMessage[]): Promise<{ accepted: number; duplicates: number }>;
  close(): Promise<void>;
}

export async function createRuntimeHarness(
  target: RuntimeTarget,
  options: RuntimeDeps["options"] = {},
  kind: "whatsapp" | "telegram" | "web" = "whatsapp",
): Promise<RuntimeHarness> {
  const database = await target.open();
  await migrateToLatest(database.db);
  const now = Date.now();
  const organization = await createOrganization(database.db, { name: "Acme", at: now });
  const channel = await createChannel(database.db, {
    organizationId: organization.id,
    botId: null,
    kind,
    name: "Main",
    externalId: `ext-${randomUUID()}`,
    config: {},
    secretsEncrypted: null,
    at: now,
  });
  const sender = createFakeChannel(kind);
  const clock = { offsetMs: 0 };
  const queue = await target.queue?.connect(
    options.concurrency === undefined ? {} : { concurrency: options.concurrency },
  );
  const runtime = createRuntime({
    ...(queue ? { queue: queue.queue, bus: queue.bus, rateLimiter: queue.rateLimiter } : {}),
    database,
    directory: { senderFor: () => sender },
    now: () => Date.now() + clock.offsetMs,
    options: { timerIntervalMs: 50, sweepIntervalMs: 100, baseBackoffMs: 20, maxBackoffMs: 200, ...options },
  });
  await runtime.start();

  const harness: RuntimeHarness = {
    database,
    runtime,
    organization,
    channel,
    sender,
    clock,
    async publish(graph, name = "Flow") {
      const flow = await createFlow(database.db, {
        organizationId: organization.id,
        name,
        graph: toGraph(graph),
        at: Date.now(),
      });
      const published = await publishFlow(database.db, organization.id, flow.id, keywordsOf(graph));
      if (!published) throw new Error("publish failed");
      return { flowId: flow.id, versionId: published.version.id };
    },
    async republish(flowId, graph) {
      const updated = await updateFlow(database.db, organization.id, flowId, {
        graph: toGraph(graph),
        at: Date.now(),
      });
      if (!updated || updated === "conflict") throw new Error("update failed");
      const published = await publishFlow(database.db, organization.id, flowId, keywordsOf(graph));
      if (!published) throw new Error("publish failed");
      return published.version.id;
    },
    message(from, text, extra = {}) {
      return {
        externalMessageId: `wamid.${randomUUID()}`,
        contact: { externalId: from, name: `Contact ${from}` },
        timestamp: Date.now() + clock.offsetMs,
        kind: "text",
        text,
        ...extra,
      };
    },
    deliver(...messages) {
      return runtime.acceptInbound(channel, messages);
    },
    async close() {
      await runtime.stop();
      await queue?.cleanup();
      await database.cleanup();
    },
  };
  return harness;
}

function toGraph(graph: unknown): FlowGraph {
  return flowGraphSchema.parse(graph);
}

function keywordsOf(graph: unknown): string[] {
  const nodes = (graph as { nodes?: Array<{ type?: string; data?: { keywords?: string[] } }> }).nodes ?? [];
  return nodes
    .filter((node) => node.type === "start")
    .flatMap((node) => node.data?.keywords ?? [])
    .map((keyword) => keyword.trim().toLowerCase());
}

/** Polls `check` until it returns true or the time runs out. */
export async function eventually(
  check: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
  label = "condition",
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${label}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
