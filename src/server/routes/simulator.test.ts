import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  buildOperatorTestServer,
  type OperatorTestServer,
  questionGraph,
} from "../../../test/support/operator-server.ts";
import { eventually } from "../../../test/support/runtime-harness.ts";
import { flowGraphSchema } from "../../core/flow.ts";
import { listChannels, listFlowVersions, updateFlow } from "../../store/index.ts";

let server: OperatorTestServer;
let draftId = "";
let foreignFlowId = "";

interface Poll {
  messages: Array<{
    id: string;
    at: string;
    message: { type: string };
    rendered: { text: string; buttons: Array<{ id: string; title: string }> };
  }>;
  execution: {
    id: string;
    status: string;
    current_node_id: string | null;
    visited_nodes: string[];
    variables: Record<string, unknown>;
  } | null;
}

async function poll(sessionId: string, after?: string): Promise<Poll> {
  const query = after ? `?after=${after}` : "";
  const response = await server.call(
    "editor",
    "GET",
    `/api/simulator/sessions/${sessionId}/messages${query}`,
  );
  expect(response.statusCode).toBe(200);
  return response.json();
}

beforeAll(async () => {
  server = await buildOperatorTestServer();
  draftId = (await server.addFlow("a", questionGraph(["tea"]), { name: "Draft", publish: false })).id;
  foreignFlowId = (await server.addFlow("b", questionGraph(["tea"]))).id;
});
afterAll(async () => {
  await server.close();
});

describe("simulator round trip", () => {
  it("runs the unpublished draft: buttons, a tapped option, the next message and the visited nodes", async () => {
    const started = await server.call("editor", "POST", "/api/simulator/sessions", {
      payload: { flow_id: draftId },
    });
    expect(started.statusCode).toBe(201);
    const { session_id, contact_id } = started.json();
    expect(session_id).toEqual(expect.any(String));
    expect(contact_id).toEqual(expect.any(String));

    let first: Poll = { messages: [], execution: null };
    await eventually(async () => {
      first = await poll(session_id);
      return first.messages.length === 1 && first.execution?.status === "waiting_for_input";
    });
    expect(first.messages[0]?.rendered).toMatchObject({
      text: "Do you like tea?",
      buttons: [
        { id: "yes", title: "Yes" },
        { id: "no", title: "No" },
      ],
    });
    expect(Number.isNaN(Date.parse(first.messages[0]?.at ?? ""))).toBe(false);
    expect(first.execution).toMatchObject({ current_node_id: "ask", visited_nodes: ["start", "ask"] });

    const sent = await server.call("editor", "POST", `/api/simulator/sessions/${session_id}/messages`, {
      payload: { option_id: "yes", text: "Yes" },
    });
    expect(sent.statusCode).toBe(202);

    const lastSeen = first.messages[0]?.id;
    let next: Poll = { messages: [], execution: null };
    await eventually(async () => {
      next = await poll(session_id, lastSeen);
      return next.messages.length === 1 && next.execution?.status === "completed";
    });
    expect(next.messages[0]?.rendered.text).toBe("Great, Yes!");
    expect(next.execution?.visited_nodes).toEqual(["start", "ask", "thanks"]);
    expect(next.execution?.variables).toMatchObject({ likesTea: "Yes" });

    // The draft ran from a snapshot: the flow has no published versions, and one web channel exists.
    expect(await listFlowVersions(server.database.db, server.orgs.a.id, draftId)).toEqual([]);
    const webChannels = await listChannels(server.database.db, server.orgs.a.id, { kind: "web" });
    expect(webChannels.map((channel) => channel.name)).toEqual(["Web simulator"]);
  });

  it("ends a session: the execution is cancelled and the session is gone", async () => {
    const { session_id } = (
      await server.call("editor", "POST", "/api/simulator/sessions", { payload: { flow_id: draftId } })
    ).json();
    await eventually(async () => (await poll(session_id)).execution?.status === "waiting_for_input");
    const executionId = (await poll(session_id)).execution?.id;
    expect((await server.call("editor", "DELETE", `/api/simulator/sessions/${session_id}`)).statusCode).toBe(
      204,
    );
    const execution = (await server.call("viewer", "GET", `/api/executions/${executionId}`)).json();
    expect(execution.status).toBe("cancelled");
    const gone = await server.call("editor", "GET", `/api/simulator/sessions/${session_id}/messages`);
    expect(gone.statusCode).toBe(404);
  });
});

describe("draft snapshots", () => {
  async function versionOfNewSession(): Promise<string> {
    const started = await server.call("editor", "POST", "/api/simulator/sessions", {
      payload: { flow_id: draftId },
    });
    const { session_id } = started.json();
    let executionId = "";
    await eventually(async () => {
      executionId = (await poll(session_id)).execution?.id ?? "";
      return executionId !== "";
    });
    return (await server.call("viewer", "GET", `/api/executions/${executionId}`)).json().flow_version_id;
  }

  it("reuses the snapshot of an unchanged draft and makes a new one after an edit", async () => {
    const first = await versionOfNewSession();
    expect(await versionOfNewSession()).toBe(first);
    const graph = questionGraph(["tea"]);
    const edited = graph.nodes.map((node) =>
      node.id === "ask" ? { ...node, data: { ...node.data, body: "Tea or coffee?" } } : node,
    );
    await updateFlow(server.database.db, server.orgs.a.id, draftId, {
      graph: flowGraphSchema.parse({ ...graph, nodes: edited }),
      at: Date.now(),
    });
    expect(await versionOfNewSession()).not.toBe(first);
  });
});

describe("simulator rules", () => {
  it("validates the body and the flow", async () => {
    const empty = await server.call("editor", "POST", "/api/simulator/sessions", { payload: {} });
    expect(empty.statusCode).toBe(400);
    const foreign = await server.call("editor", "POST", "/api/simulator/sessions", {
      payload: { flow_id: foreignFlowId },
    });
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json().code).toBe("FLOW_NOT_FOUND");
    const broken = await server.addFlow("a", { nodes: [], edges: [] }, { publish: false });
    const invalid = await server.call("editor", "POST", "/api/simulator/sessions", {
      payload: { flow_id: broken.id },
    });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().code).toBe("FLOW_INVALID");
  });

  it("needs an editor, and hides sessions of other organizations", async () => {
    expect(
      (await server.call(null, "POST", "/api/simulator/sessions", { payload: { flow_id: draftId } }))
        .statusCode,
    ).toBe(401);
    expect(
      (await server.call("viewer", "POST", "/api/simulator/sessions", { payload: { flow_id: draftId } }))
        .statusCode,
    ).toBe(403);
    const { session_id } = (
      await server.call("editor", "POST", "/api/simulator/sessions", { payload: { flow_id: draftId } })
    ).json();
    const url = `/api/simulator/sessions/${session_id}/messages`;
    expect((await server.call("editor", "GET", url, { org: "b" })).statusCode).toBe(404);
    expect((await server.call("editor", "POST", url, { org: "b", payload: { text: "hi" } })).statusCode).toBe(
      404,
    );
    expect(
      (await server.call("editor", "DELETE", `/api/simulator/sessions/${session_id}`, { org: "b" }))
        .statusCode,
    ).toBe(404);
    expect((await server.call("editor", "POST", url, { payload: {} })).statusCode).toBe(400);
    expect((await server.call("viewer", "GET", url)).statusCode).toBe(403);
  });
});
