/**
 * The runtime's promises, on every store dialect: each accepted message stepped exactly once, one
 * contact's events in arrival order, replies in order, versions pinned, timers firing once, retries,
 * permanent failures and the 24 h window.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { listExecutions } from "../src/store/repositories/executions.ts";
import { listOutboundForContact } from "../src/store/repositories/outbox.ts";
import {
  createRuntimeHarness,
  eventually,
  type RuntimeHarness,
  testRuntimeTargets,
} from "./support/runtime-harness.ts";

const databases = await testRuntimeTargets();

const greetingFlow = {
  nodes: [
    { id: "s", type: "start", position: { x: 0, y: 0 }, data: { keywords: ["hi"] } },
    { id: "t", type: "text", position: { x: 0, y: 0 }, data: { text: "Hello {{contact.name}}" } },
    {
      id: "q",
      type: "question_input",
      position: { x: 0, y: 0 },
      data: { question: "Your city?", variableName: "city" },
    },
    { id: "bye", type: "text", position: { x: 0, y: 0 }, data: { text: "Bye from {{city}}" } },
  ],
  edges: [
    { id: "1", source: "s", target: "t" },
    { id: "2", source: "t", target: "q" },
    { id: "3", source: "q", target: "bye" },
  ],
};

/** A flow that echoes every answer, forever: each input is one observable step. */
const echoFlow = {
  nodes: [
    { id: "s", type: "start", position: { x: 0, y: 0 }, data: { keywords: ["echo"] } },
    {
      id: "q",
      type: "question_input",
      position: { x: 0, y: 0 },
      data: { question: "Say something", variableName: "said" },
    },
    { id: "t", type: "text", position: { x: 0, y: 0 }, data: { text: "echo:{{said}}" } },
  ],
  edges: [
    { id: "1", source: "s", target: "q" },
    { id: "2", source: "q", target: "t" },
    { id: "3", source: "t", target: "q" },
  ],
};

describe.each(databases)("runtime on $name", (target) => {
  let harness: RuntimeHarness;
  afterEach(async () => {
    await harness?.close();
  });

  it("starts a flow from a keyword, replies in order, and resumes the waiting execution", async () => {
    harness = await createRuntimeHarness(target);
    await harness.publish(greetingFlow);
    await harness.deliver(harness.message("34600000001", " HI "));
    await harness.runtime.idle();
    expect(harness.sender.textsTo("34600000001")).toEqual(["Hello Contact 34600000001", "Your city?"]);
    await harness.deliver(harness.message("34600000001", "Lisbon"));
    await harness.runtime.idle();
    expect(harness.sender.textsTo("34600000001").at(-1)).toBe("Bye from Lisbon");
    const executions = await listExecutions(harness.database.db, harness.organization.id, {});
    expect(executions.rows.map((row) => row.status)).toEqual(["completed"]);
  });

  it("records a message that matches no flow as unhandled and sends nothing", async () => {
    harness = await createRuntimeHarness(target);
    await harness.publish(greetingFlow);
    await harness.deliver(harness.message("1", "what?"));
    await harness.runtime.idle();
    expect(harness.sender.sent).toEqual([]);
    const rows = await harness.database.db.selectFrom("inbound_messages").select("status").execute();
    expect(rows.map((row) => row.status)).toEqual(["unhandled"]);
  });

  it("steps each message once however often and however concurrently it is delivered", async () => {
    harness = await createRuntimeHarness(target);
    await harness.publish(echoFlow);
    const contacts = ["a", "b", "c", "d"];
    const perContact = contacts.map((contact) => [
      harness.message(contact, "echo"),
      ...Array.from({ length: 4 }, (_, i) => harness.message(contact, `m${i}`)),
    ]);
    // Contacts in parallel; one contact's messages in order, each delivered 1–3 times, the copies
    // of a message concurrently (as Meta's retries can overlap).
    const results = await Promise.all(
      perContact.map(async (messages) => {
        const outcomes = [];
        for (const [index, message] of messages.entries()) {
          const copies = Array.from({ length: (index % 3) + 1 }, () => harness.deliver(message));
          outcomes.push(...(await Promise.all(copies)));
        }
        return outcomes;
      }),
    ).then((lists) => lists.flat());
    const total = perContact.flat().length;
    expect(results.reduce((sum, result) => sum + result.accepted, 0)).toBe(total);
    expect(results.reduce((sum, result) => sum + result.duplicates, 0)).toBe(results.length - total);
    await harness.runtime.idle();
    for (const contact of contacts) {
      expect(harness.sender.textsTo(contact)).toEqual([
        "Say something",
        "echo:m0",
        "Say something",
        "echo:m1",
        "Say something",
        "echo:m2",
        "Say something",
        "echo:m3",
        "Say something",
      ]);
    }
  });

  it("a burst of 5 messages from one contact in 50 ms gives 5 steps in order and one execution", async () => {
    harness = await createRuntimeHarness(target);
    await harness.publish(echoFlow);
    await harness.deliver(harness.message("burst", "echo"));
    const burst = Array.from({ length: 5 }, (_, i) => harness.message("burst", `b${i}`));
    // Each webhook is acknowledged before the next arrives (10 ms apart), which defines the arrival
    // order; two requests still in flight together have none, on any database.
    for (const message of burst) {
      await harness.deliver(message);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    await eventually(() => harness.sender.textsTo("burst").length === 11, 10_000, "11 replies");
    await harness.runtime.idle();
    expect(harness.sender.textsTo("burst").filter((text) => text.startsWith("echo:"))).toEqual([
      "echo:b0",
      "echo:b1",
      "echo:b2",
      "echo:b3",
      "echo:b4",
    ]);
    const executions = await listExecutions(harness.database.db, harness.organization.id, {});
    expect(executions.total).toBe(1);
  });

  it("never resumes a cancelled execution, even when the cancel races the contact's messages", async () => {
    harness = await createRuntimeHarness(target);
    await harness.publish(echoFlow);
    await harness.deliver(harness.message("race", "echo"));
    await harness.deliver(harness.message("race", "one"));
    await harness.runtime.idle();
    const [execution] = (await listExecutions(harness.database.db, harness.organization.id, {})).rows;
    if (!execution) throw new Error("no execution");
    // The cancel races three more answers, which arrive one after the other (concurrent deliveries
    // have no arrival order): whatever the interleaving, once the cancel has committed no answer may
    // step the execution, and it stays cancelled.
    const answering = (async () => {
      for (const text of ["two", "three", "four"]) await harness.deliver(harness.message("race", text));
    })();
    const cancelled = await harness.runtime.cancelExecution(harness.organization.id, execution.id);
    await answering;
    await harness.runtime.idle();
    expect(cancelled === "finished" ? "finished" : cancelled?.status).toBe("cancelled");
    const after = (await listExecutions(harness.database.db, harness.organization.id, {})).rows;
    expect(after.find((row) => row.id === execution.id)?.status).toBe("cancelled");
    const echoes = harness.sender.textsTo("race").filter((text) => text.startsWith("echo:"));
    // Answers stepped before the cancel echo; none after it: the echoes are a prefix of the answers.
    expect(["echo:one", "echo:two", "echo:three", "echo:four"].slice(0, echoes.length)).toEqual(echoes);
    await harness.deliver(harness.message("race", "five"));
    await harness.runtime.idle();
    expect(harness.sender.textsTo("race")).not.toContain("echo:five");
  });

  it("keeps running executions on the version they started on", async () => {
    harness = await createRuntimeHarness(target);
    const { flowId } = await harness.publish(greetingFlow);
    await harness.deliver(harness.message("v", "hi"));
    await harness.runtime.idle();
    const changed = structuredClone(greetingFlow);
    (changed.nodes[3] as { data: { text: string } }).data.text = "Version two says bye";
    await harness.republish(flowId, changed);
    await harness.deliver(harness.message("v", "Porto"));
    await harness.deliver(harness.message("w", "hi"));
    await harness.runtime.idle();
    expect(harness.sender.textsTo("v").at(-1)).toBe("Bye from Porto");
    await harness.deliver(harness.message("w", "Faro"));
    await harness.runtime.idle();
    expect(harness.sender.textsTo("w").at(-1)).toBe("Version two says bye");
  });

  it("fires a wait node's timer once and expires a waiting question on its timeout", async () => {
    harness = await createRuntimeHarness(target);
    await harness.publish({
      nodes: [
        { id: "s", type: "start", position: { x: 0, y: 0 }, data: { keywords: ["wait"] } },
        { id: "w", type: "wait", position: { x: 0, y: 0 }, data: { duration: 1, unit: "seconds" } },
        { id: "t", type: "text", position: { x: 0, y: 0 }, data: { text: "after the wait" } },
        {
          id: "q",
          type: "question_input",
          position: { x: 0, y: 0 },
          data: { question: "Quick!", variableName: "x", timeoutSeconds: 1 },
        },
      ],
      edges: [
        { id: "1", source: "s", target: "w" },
        { id: "2", source: "w", target: "t" },
        { id: "3", source: "t", target: "q" },
      ],
    });
    await harness.deliver(harness.message("t1", "wait"));
    await harness.runtime.idle();
    expect(harness.sender.textsTo("t1")).toEqual([]);
    await eventually(() => harness.sender.textsTo("t1").length === 2, 5000, "the wait to end");
    await eventually(
      async () => {
        const executions = await listExecutions(harness.database.db, harness.organization.id, {});
        return executions.rows[0]?.status === "expired";
      },
      5000,
      "the timeout to expire the execution",
    );
    const timers = await harness.database.db
      .selectFrom("timers")
      .select(["kind", "status"])
      .orderBy("created_at")
      .execute();
    expect(timers).toEqual([
      { kind: "wait", status: "fired" },
      { kind: "timeout", status: "fired" },
    ]);
    expect(harness.sender.textsTo("t1")).toEqual(["after the wait", "Quick!"]);
  });

  it("retries retryable send errors with backoff, keeping the contact's order", async () => {
    harness = await createRuntimeHarness(target);
    harness.sender.script.push(
      { ok: false, retryable: true, code: "CHANNEL_UNAVAILABLE", message: "500" },
      {
        ok: false,
        retryable: true,
        code: "CHANNEL_RATE_LIMITED",
        message: "429",
        retryAfterMs: 50,
        scope: "channel",
      },
    );
    await harness.publish(greetingFlow);
    await harness.deliver(harness.message("r", "hi"));
    await eventually(() => harness.sender.sent.length === 2, 5000, "both replies");
    expect(harness.sender.textsTo("r")).toEqual(["Hello Contact r", "Your city?"]);
    expect(harness.sender.attempts.length).toBe(4);
    const contactId = (
      await harness.database.db.selectFrom("contacts").select("id").executeTakeFirstOrThrow()
    ).id;
    const readOutbox = () => listOutboundForContact(harness.database.db, harness.organization.id, contactId);
    // The fake records a send before the dispatcher marks its row sent: wait for the marks.
    await eventually(
      async () => (await readOutbox()).every((row) => row.status === "sent"),
      5000,
      "sent marks",
    );
    const outbox = await readOutbox();
    expect(outbox.map((row) => [row.status, row.attempts])).toEqual([
      ["sent", 3],
      ["sent", 1],
    ]);
  });

  it("fails a permanently refused message with the provider's code and still sends the next", async () => {
    harness = await createRuntimeHarness(target);
    harness.sender.script.push({
      ok: false,
      retryable: false,
      code: "CHANNEL_SEND_FAILED",
      providerCode: "131009",
      message: "bad param",
    });
    await harness.publish(greetingFlow);
    await harness.deliver(harness.message("p", "hi"));
    await harness.runtime.idle();
    expect(harness.sender.textsTo("p")).toEqual(["Your city?"]);
    const rows = await harness.database.db
      .selectFrom("outbound_messages")
      .select(["status", "error_code"])
      .orderBy("id")
      .execute();
    expect(rows).toEqual([
      { status: "failed", error_code: "CHANNEL_SEND_FAILED:131009" },
      { status: "sent", error_code: null },
    ]);
    const logs = await harness.database.db
      .selectFrom("execution_logs")
      .select(["action", "message"])
      .where("action", "=", "error")
      .execute();
    expect(logs[0]?.message).toContain("131009");
  });

  describe("the 24 h window", () => {
    const lateFlow = (withFallback: boolean) => ({
      nodes: [
        { id: "s", type: "start", position: { x: 0, y: 0 }, data: { keywords: ["later"] } },
        { id: "w", type: "wait", position: { x: 0, y: 0 }, data: { duration: 1, unit: "seconds" } },
        { id: "t", type: "text", position: { x: 0, y: 0 }, data: { text: "Are you still there?" } },
      ],
      edges: [
        { id: "1", source: "s", target: "w" },
        { id: "2", source: "w", target: "t" },
      ],
      settings: withFallback ? { fallbackTemplate: { name: "follow_up", language: "en", params: [] } } : {},
    });

    it.each([
      [true, ["template:follow_up"], "sent"],
      [false, [], "failed"],
    ])(
      "a contact silent for 25 h (fallback configured: %s) never gets a free-form message",
      async (withFallback, expected, status) => {
        harness = await createRuntimeHarness(target);
        await harness.publish(lateFlow(withFallback));
        await harness.deliver(harness.message("silent", "later"));
        await harness.runtime.idle();
        harness.clock.offsetMs = 25 * 60 * 60 * 1000;
        await eventually(
          async () => {
            const rows = await harness.database.db.selectFrom("outbound_messages").select("status").execute();
            // `sending`: claimed by a scale-out dispatcher, not decided yet.
            return rows.length === 1 && rows[0]?.status !== "queued" && rows[0]?.status !== "sending";
          },
          5000,
          "the late message to be decided",
        );
        expect(harness.sender.textsTo("silent")).toEqual(expected);
        const row = await harness.database.db
          .selectFrom("outbound_messages")
          .select(["status", "error_code"])
          .executeTakeFirstOrThrow();
        expect(row.status).toBe(status);
        if (status === "failed") expect(row.error_code).toBe("WA_WINDOW_CLOSED");
      },
    );
  });

  describe("http_request effects", () => {
    let server: Server;
    afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

    const httpFlow = (url: string) => ({
      nodes: [
        { id: "s", type: "start", position: { x: 0, y: 0 }, data: { keywords: ["crm"] } },
        {
          id: "h",
          type: "action",
          position: { x: 0, y: 0 },
          data: {
            actionType: "http_request",
            method: "POST",
            url,
            body: { name: "{{contact.name}}" },
            responseMapping: { lead: "$.id" },
          },
        },
        { id: "ok", type: "text", position: { x: 0, y: 0 }, data: { text: "lead {{lead}}" } },
        { id: "err", type: "text", position: { x: 0, y: 0 }, data: { text: "failed: {{http_error}}" } },
      ],
      edges: [
        { id: "1", source: "s", target: "h" },
        { id: "2", source: "h", sourceHandle: "success", target: "ok" },
        { id: "3", source: "h", sourceHandle: "error", target: "err" },
      ],
    });

    async function startServer(): Promise<{ url: string; bodies: unknown[] }> {
      const bodies: unknown[] = [];
      server = createServer((request, response) => {
        let data = "";
        request.on("data", (chunk) => (data += chunk));
        request.on("end", () => {
          bodies.push(JSON.parse(data));
          response.writeHead(201, { "content-type": "application/json" }).end(JSON.stringify({ id: "L-1" }));
        });
      });
      await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
      return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/leads`, bodies };
    }

    it("performs the call outside the step and resumes the flow with the result", async () => {
      const api = await startServer();
      harness = await createRuntimeHarness(target, { httpAllowlist: ["127.0.0.1"] });
      await harness.publish(httpFlow(api.url));
      await harness.deliver(harness.message("h1", "crm"));
      await eventually(() => harness.sender.textsTo("h1").length === 1, 5000, "the reply");
      expect(harness.sender.textsTo("h1")).toEqual(["lead L-1"]);
      expect(api.bodies).toEqual([{ name: "Contact h1" }]);
    });

    it("refuses loopback targets that are not allow-listed (SSRF guard)", async () => {
      const api = await startServer();
      harness = await createRuntimeHarness(target);
      await harness.publish(httpFlow(api.url));
      await harness.deliver(harness.message("h2", "crm"));
      await eventually(() => harness.sender.textsTo("h2").length === 1, 5000, "the reply");
      expect(harness.sender.textsTo("h2")[0]).toContain("HTTP_TARGET_FORBIDDEN");
      expect(api.bodies).toEqual([]);
    });
  });

  it("after a restart, steps the backlog before a message accepted as it starts", async () => {
    harness = await createRuntimeHarness(target);
    await harness.publish(echoFlow);
    await harness.runtime.stop();
    const { createRuntime } = await import("../src/runtime/runtime.ts");
    const stopped = createRuntime({
      database: harness.database,
      directory: { senderFor: () => harness.sender },
    });
    for (const text of ["echo", "a", "b"])
      await stopped.acceptInbound(harness.channel, [harness.message("r", text)]);
    await stopped.stop();
    const restarted = createRuntime({
      database: harness.database,
      directory: { senderFor: () => harness.sender },
    });
    // Accepted by the new runtime before it has read its backlog: it must wait its turn.
    await restarted.acceptInbound(harness.channel, [harness.message("r", "c")]);
    await restarted.start();
    await eventually(() => harness.sender.textsTo("r").length === 7, 5000, "seven replies");
    await restarted.idle();
    await restarted.stop();
    expect(harness.sender.textsTo("r").filter((text) => text.startsWith("echo:"))).toEqual([
      "echo:a",
      "echo:b",
      "echo:c",
    ]);
  });

  it("picks up unprocessed inbox rows and unsent outbox rows after a restart", async () => {
    harness = await createRuntimeHarness(target);
    await harness.publish(greetingFlow);
    await harness.runtime.stop();
    // Rows accepted while no runtime is processing them, as after a crash.
    const { createRuntime } = await import("../src/runtime/runtime.ts");
    const stopped = createRuntime({
      database: harness.database,
      directory: { senderFor: () => harness.sender },
    });
    await stopped.acceptInbound(harness.channel, [harness.message("z", "hi")]);
    await stopped.stop();
    expect(harness.sender.sent).toEqual([]);
    const restarted = createRuntime({
      database: harness.database,
      directory: { senderFor: () => harness.sender },
    });
    await restarted.start();
    await eventually(() => harness.sender.sent.length === 2, 5000, "recovered replies");
    await restarted.stop();
    expect(harness.sender.textsTo("z")).toEqual(["Hello Contact z", "Your city?"]);
  });
});
