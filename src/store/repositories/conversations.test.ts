import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type TestDatabase, testDatabases } from "../../../test/support/databases.ts";
import { createRuntimeHarness, type RuntimeHarness } from "../../../test/support/runtime-harness.ts";
import { listConversations, listInboundMessagesOfContact } from "./conversations.ts";
import { findFlowById, getFlowNames } from "./flow-lookups.ts";
import { createFlowSnapshot, getFlowVersionByNumber, listFlowVersions } from "./flow-versions.ts";

const graph = {
  nodes: [
    { id: "s", type: "start", position: { x: 0, y: 0 }, data: { keywords: ["hi"] } },
    {
      id: "q",
      type: "question",
      position: { x: 0, y: 0 },
      data: { body: "Q?", options: [{ id: "a", title: "A" }] },
    },
  ],
  edges: [{ id: "e", source: "s", target: "q" }],
};

const targets: TestDatabase[] = await testDatabases();

describe.each(targets)("operator queries on $name", (target) => {
  let harness: RuntimeHarness;
  let flowId = "";
  beforeAll(async () => {
    harness = await createRuntimeHarness(target);
    flowId = (await harness.publish(graph, "Survey")).flowId;
    await harness.deliver(harness.message("111", "hi"));
    await harness.runtime.idle();
  });
  afterAll(async () => {
    await harness.close();
  });

  it("lists a conversation with its counts and active execution, and its inbound messages only", async () => {
    const { db } = harness.database;
    const page = await listConversations(db, harness.organization.id, { search: "contact 111" });
    expect(page.total).toBe(1);
    const row = page.rows[0];
    expect(row).toMatchObject({ inboundCount: 1, outboundCount: 1, activeExecution: { flowId } });
    expect(row?.activeExecution?.status).toBe("waiting_for_input");
    expect(row?.lastOutboundAt).toBeGreaterThanOrEqual(row?.lastInboundMessageAt ?? Number.POSITIVE_INFINITY);
    expect((await listConversations(db, harness.organization.id, { search: "nobody" })).total).toBe(0);
    const inbound = await listInboundMessagesOfContact(db, harness.organization.id, row?.contact.id ?? "");
    expect(inbound).toHaveLength(1);
  });

  it("snapshots a draft below version 0, reuses it while unchanged, and hides it from versions", async () => {
    const { db } = harness.database;
    const first = await createFlowSnapshot(db, harness.organization.id, flowId);
    const again = await createFlowSnapshot(db, harness.organization.id, flowId);
    expect(first).toMatchObject({ version: -1, createdBy: "simulator" });
    expect(again?.id).toBe(first?.id);
    expect((await listFlowVersions(db, harness.organization.id, flowId)).map((v) => v.version)).toEqual([1]);
    expect(await getFlowVersionByNumber(db, harness.organization.id, flowId, -1)).toBeNull();
    expect(await createFlowSnapshot(db, harness.organization.id, "unknown")).toBeNull();
  });

  it("finds flow names and a flow by id", async () => {
    const { db } = harness.database;
    expect((await getFlowNames(db, harness.organization.id, [flowId, "unknown"])).get(flowId)).toBe("Survey");
    expect((await findFlowById(db, flowId))?.organizationId).toBe(harness.organization.id);
    expect(await findFlowById(db, "unknown")).toBeNull();
  });
});
