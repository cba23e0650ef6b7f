/**
 * summarizeFlowNodes on every dialect testDatabases() offers: visits count distinct executions that
 * entered a node, drop-offs count where unfinished or failed runs stopped, and nothing leaks across
 * flows or organizations.
 */
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createInitialState, type ExecutionStatus, type LogAction } from "../src/core/execution.ts";
import type { FlowGraph } from "../src/core/flow.ts";
import type { Database } from "../src/store/database.ts";
import * as store from "../src/store/index.ts";
import { summarizeFlowNodes } from "../src/store/repositories/flow-analytics.ts";
import { testDatabases } from "./support/databases.ts";

const databases = await testDatabases();
const T0 = 1_700_000_000_000;

const GRAPH: FlowGraph = {
  version: 1,
  nodes: [
    { id: "start", type: "start", position: { x: 0, y: 0 }, data: { keywords: ["hi"] } },
    { id: "q1", type: "text", position: { x: 0, y: 100 }, data: { text: "Question" } },
    { id: "t1", type: "text", position: { x: 0, y: 200 }, data: { text: "Bye" } },
  ],
  edges: [
    { id: "e1", source: "start", target: "q1" },
    { id: "e2", source: "q1", target: "t1" },
  ],
  menus: [],
  settings: {},
};

describe.each(databases)("flow analytics on $name", (target) => {
  let database: Database & { cleanup(): Promise<void> };

  beforeAll(async () => {
    database = await target.open();
    await store.migrateToLatest(database.db);
  });
  afterAll(async () => {
    await database?.cleanup();
  });

  /** An organization with a flow, and a function adding one execution with its log to any flow. */
  async function seed(name = "Acme") {
    const db = database.db;
    const org = await store.createOrganization(db, { name, at: T0 });
    const bot = await store.getDefaultBot(db, org.id);
    if (!bot) throw new Error("no default bot");
    const channel = await store.createChannel(db, {
      organizationId: org.id,
      botId: bot.id,
      kind: "web",
      name: "Web",
      externalId: `web-${randomUUID()}`,
      config: {},
      at: T0,
    });
    const contact = await store.upsertContactFromInbound(db, {
      organizationId: org.id,
      channelId: channel.id,
      externalId: `c-${randomUUID()}`,
      name: "Ana",
      at: T0,
    });
    const newFlow = () =>
      store.createFlow(db, { organizationId: org.id, botId: bot.id, name: "Welcome", graph: GRAPH, at: T0 });
    const flow = await newFlow();
    async function run(
      flowId: string,
      status: ExecutionStatus,
      currentNodeId: string | null,
      entered: string[],
      at = T0,
    ): Promise<void> {
      const execution = await store.createExecution(db, {
        organizationId: org.id,
        flowId,
        flowVersionId: "v1",
        contactId: contact.id,
        channelId: channel.id,
        state: { ...createInitialState(), status, currentNodeId },
        at,
      });
      const log = (nodeId: string, action: LogAction) => ({
        executionId: execution.id,
        organizationId: org.id,
        nodeId,
        nodeType: "text",
        action,
        createdAt: at,
      });
      await store.insertExecutionLogs(
        db,
        entered.flatMap((nodeId) => [log(nodeId, "entered"), log(nodeId, "exited")]),
      );
    }
    return { db, org, flow, newFlow, run };
  }

  it("counts visits, waiting runs, drop-offs and completions node by node", async () => {
    const { db, org, flow, newFlow, run } = await seed();
    await run(flow.id, "completed", "t1", ["start", "q1", "t1"]);
    await run(flow.id, "waiting_for_input", "q1", ["start", "q1"]);
    await run(flow.id, "expired", "q1", ["start", "q1"]);
    // Looping back through q1 still counts one visit for this execution.
    await run(flow.id, "failed", "t1", ["start", "q1", "t1", "q1", "t1"]);
    await run(flow.id, "cancelled", null, ["start"]);
    await run(flow.id, "running", "t1", ["start", "q1", "t1"]);
    // The same node ids in another flow of the organization are not this flow's.
    const other = await newFlow();
    await run(other.id, "expired", "q1", ["start", "q1"]);

    const analytics = await summarizeFlowNodes(db, org.id, flow.id);
    expect(analytics).toEqual({
      executions: 6,
      completed: 1,
      byNode: [
        { nodeId: "start", visits: 6, waitingNow: 0, droppedHere: 0 },
        { nodeId: "q1", visits: 5, waitingNow: 1, droppedHere: 2 },
        { nodeId: "t1", visits: 3, waitingNow: 0, droppedHere: 1 },
      ],
    });
  });

  it("lists a node runs stopped at even when no log says they entered it", async () => {
    const { db, org, flow, run } = await seed();
    await run(flow.id, "failed", "ghost", []);
    expect(await summarizeFlowNodes(db, org.id, flow.id)).toEqual({
      executions: 1,
      completed: 0,
      byNode: [{ nodeId: "ghost", visits: 0, waitingNow: 0, droppedHere: 1 }],
    });
  });

  it("counts only executions started since the given time", async () => {
    const { db, org, flow, run } = await seed();
    await run(flow.id, "expired", "q1", ["start", "q1"], T0);
    await run(flow.id, "completed", "t1", ["start", "q1", "t1"], T0 + 60_000);
    expect(await summarizeFlowNodes(db, org.id, flow.id, { since: T0 + 60_000 })).toEqual({
      executions: 1,
      completed: 1,
      byNode: [
        { nodeId: "q1", visits: 1, waitingNow: 0, droppedHere: 0 },
        { nodeId: "start", visits: 1, waitingNow: 0, droppedHere: 0 },
        { nodeId: "t1", visits: 1, waitingNow: 0, droppedHere: 0 },
      ],
    });
  });

  it("is empty for a flow without executions and for another organization's flow", async () => {
    const { db, org, flow, run } = await seed();
    await run(flow.id, "completed", "t1", ["start", "q1", "t1"]);
    const stranger = await seed("Globex");
    const empty = { executions: 0, completed: 0, byNode: [] };
    expect(await summarizeFlowNodes(db, stranger.org.id, flow.id)).toEqual(empty);
    expect(await summarizeFlowNodes(db, org.id, stranger.flow.id)).toEqual(empty);
  });
});
