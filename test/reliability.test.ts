/**
 * DESIGN §10's reliability budget, against the real process (`npm start` on a temp data dir) and a fake
 * Graph API: repeated deliveries, bursts, kill -9 and restart, a failing Graph API, hostile input, and
 * the 24 h window. Each case has its own server; none asserts a duration (speed is for `npm run bench`).
 */
import { Client } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import { crashMidLoad } from "./support/reliability-crash.ts";
import {
  converse,
  deliver,
  echoScript,
  expectedEchoReplies,
  seededRandom,
  sleep,
} from "./support/reliability-load.ts";
import { countStored, fuzzCases, namedBadCases, runCases, runTracingMemory } from "./support/server-fuzz.ts";
import { echoFlow, FALLBACK_TEMPLATE, WINDOW_GREETING, windowFlow } from "./support/traffic-flows.ts";
import {
  openStore,
  repliesTo,
  sendsTo,
  startTrafficStack,
  type TrafficStack,
} from "./support/traffic-stack.ts";
import { waitFor, webhookBody } from "./support/whatsapp-traffic.ts";

const phone = (group: number, index: number) => `1555${group}${String(index).padStart(6, "0")}`;
const HOUR_MS = 3_600_000;

let stack: TrafficStack | undefined;
afterEach(async () => {
  await stack?.dispose();
  stack = undefined;
});

describe("reliability (real server process)", () => {
  it("processes every message exactly once when each webhook arrives 1-3 times", async () => {
    stack = await startTrafficStack({ flows: [echoFlow] });
    const { parley, graph } = stack;
    const random = seededRandom(11);
    const contacts = Array.from({ length: 10 }, (_, index) => phone(1, index));
    const script = echoScript(12);
    const conversations = await Promise.all(
      contacts.map((from) =>
        converse(parley.url, from, script, {
          copies: () => 1 + Math.floor(random() * 3),
          // Half the repeats race the first delivery, half come later, as Meta's retries do.
          repeatDelayMs: () => (random() < 0.5 ? 0 : 1 + Math.floor(random() * 400)),
        }),
      ),
    );
    const answers = [
      ...conversations.flatMap((c) => c.answers),
      ...(await Promise.all(conversations.map((c) => c.late))).flat(),
    ];
    expect(answers.every((answer) => answer.status === 200)).toBe(true);
    expect(answers.length).toBeGreaterThan(contacts.length * script.length);
    expect(answers.reduce((sum, answer) => sum + answer.accepted, 0)).toBe(contacts.length * script.length);

    const expected = expectedEchoReplies(script);
    for (const from of contacts) {
      await waitFor(`${from}'s replies`, () => repliesTo(graph, from).length >= expected.length);
    }
    await sleep(1000); // a message processed twice would show up as extra replies by now
    for (const from of contacts) expect(repliesTo(graph, from), from).toEqual(expected);

    await parley.stop();
    const db = openStore(parley.dataDir);
    const inbox = db.prepare("select status, count(*) as n from inbound_messages group by status").all();
    const executions = db.prepare("select count(*) as n from executions").get();
    db.close();
    expect(inbox).toEqual([{ status: "processed", n: contacts.length * script.length }]);
    expect(executions).toEqual({ n: contacts.length });
  }, 90_000);

  it("steps a burst of 10 messages from one contact in order, in one execution", async () => {
    stack = await startTrafficStack({ flows: [echoFlow] });
    const { parley, graph } = stack;
    const from = phone(2, 1);
    const script = echoScript(10, "b");
    // All ten within 50 ms, without waiting for the answers, in order on one pipelined connection.
    const client = new Client(parley.url, { pipelining: 10 });
    const answers = await Promise.all(
      script.map(async (text, index) => {
        await sleep(index * 5);
        return deliver(parley.url, webhookBody([{ from, id: `wamid.burst.${index}`, text }]), client);
      }),
    );
    await client.close();
    expect(answers.map((answer) => answer.status)).toEqual(script.map(() => 200));
    const expected = expectedEchoReplies(script);
    await waitFor("the burst's replies", () => repliesTo(graph, from).length >= expected.length);
    await sleep(500);
    expect(repliesTo(graph, from)).toEqual(expected);

    await parley.stop();
    const db = openStore(parley.dataDir);
    const executions = db.prepare("select status, current_node_id as node from executions").all();
    db.close();
    expect(executions).toEqual([{ status: "waiting_for_input", node: "q" }]);
  }, 90_000);

  it("after kill -9 and a restart, loses no acknowledged message and repeats only in-flight sends", async () => {
    stack = await startTrafficStack({ flows: [echoFlow], graph: { latencyMs: 3 } });
    const report = await crashMidLoad(stack, { contacts: 20, messages: 20, killAtFraction: 1 / 3 });
    console.info(
      `crash: ${report.acknowledged} messages acknowledged, ${report.sendsBeforeKill} sends before the kill, ` +
        `${report.inFlight} in flight at the kill, ${report.duplicates} sent twice (bound: ${report.bound})`,
    );
    expect(report.killedMidLoad).toBe(true);
    expect(report.unprocessed).toEqual([]);
    expect(report.unsentRows).toBe(0);
    expect(report.missingReplies).toEqual([]);
    expect(report.outOfOrder).toEqual([]);
    expect(report.duplicates).toBeLessThanOrEqual(report.inFlight);
    expect(report.inFlight).toBeLessThanOrEqual(report.bound);
  }, 120_000);

  it("delivers every reply, per contact in order, when the Graph API fails 20 % of sends", async () => {
    stack = await startTrafficStack({
      flows: [echoFlow],
      graph: { failureRate: 0.2, failureKinds: ["429", "500", "timeout"], seed: 2026 },
    });
    const { parley, graph } = stack;
    const contacts = Array.from({ length: 6 }, (_, index) => phone(3, index));
    const script = echoScript(6);
    const conversations = await Promise.all(contacts.map((from) => converse(parley.url, from, script)));
    expect(conversations.flatMap((c) => c.answers).every((answer) => answer.status === 200)).toBe(true);

    const expected = expectedEchoReplies(script);
    for (const from of contacts) {
      await waitFor(`${from}'s replies`, () => repliesTo(graph, from).length >= expected.length, 100_000);
    }
    for (const from of contacts) expect(repliesTo(graph, from), from).toEqual(expected);
    const failed = new Set(graph.calls.filter((call) => call.status !== 200).map((call) => call.status));
    expect([...failed].sort()).toEqual([0, 429, 500]); // 0: held open until Parley timed out
  }, 150_000);

  it("answers bad and fuzzed input with the right status, stores none of it, and keeps memory bounded", async () => {
    stack = await startTrafficStack({ flows: [echoFlow] });
    const { parley, graph } = stack;
    for (const [name, bad] of Object.entries(namedBadCases())) {
      expect((await runCases(parley.url, [bad])).wrong, name).toEqual([]);
    }
    await runCases(parley.url, fuzzCases(7, 500)); // warm-up: JIT, caches, pools
    const { wrong, statuses, rss, heap } = await runTracingMemory(
      parley.url,
      parley.pid() ?? 0,
      fuzzCases(20260101, 10_000),
    );
    const mb = (values: number[]) => values.map((value) => value.toFixed(0)).join(" → ");
    console.info(
      `fuzz: ${JSON.stringify(Object.fromEntries(statuses))}; every 2,000 bodies, RSS ${mb(rss)} MB, heap used ${mb(heap)} MB`,
    );
    expect(wrong.slice(0, 5)).toEqual([]);
    for (const status of [200, 400, 401]) expect(statuses.get(status) ?? 0).toBeGreaterThan(100);
    // Generous bounds: the point is "flat", not a number. RSS also grows with the SQLite file the accepted
    // bodies fill (its 16 MiB page cache, by design) and with the heap headroom start.ts allows (2.5× the
    // live heap); the JS heap itself must not: its low points (after a GC) stay near the start, where
    // kept bodies would add hundreds of MB.
    expect(Math.max(...rss) - (rss[0] ?? 0)).toBeLessThan(200);
    expect(Math.min(...heap.slice(3)) - (heap[0] ?? 0)).toBeLessThan(64);

    // Still alive and still working.
    const from = phone(5, 1);
    expect(
      (await deliver(parley.url, webhookBody([{ from, id: "wamid.after-fuzz", text: "go" }]))).status,
    ).toBe(200);
    await waitFor("a reply after the fuzz", () => repliesTo(graph, from).length >= 1);
    await parley.stop();
    const stored = countStored(parley.dataDir);
    expect(stored.rejectedMessages).toBe(0);
    expect(stored.rejectedContacts).toBe(0);
    expect(stored.messages).toBeGreaterThan(0); // the accepted bodies were stored: the search saw real rows
  }, 150_000);

  it("sends the fallback template, not a free-form message, to a contact silent for 25 h", async () => {
    stack = await startTrafficStack({
      flows: [windowFlow(4)],
      graph: { templates: { [FALLBACK_TEMPLATE.name]: 0 } },
    });
    const { parley, graph } = stack;
    const from = phone(6, 1);
    expect(
      (await deliver(parley.url, webhookBody([{ from, id: "wamid.window.1", text: "hi" }]))).status,
    ).toBe(200);
    await waitFor("the greeting", () => repliesTo(graph, from).includes(WINDOW_GREETING));

    // The flow now waits; meanwhile the contact's last message moves 25 h into the past.
    const db = openStore(parley.dataDir, false);
    const moved = db
      .prepare("update contacts set last_inbound_at = ? where external_id = ?")
      .run(Date.now() - 25 * HOUR_MS, from);
    db.close();
    expect(moved.changes).toBe(1);
    graph.setWindowClosed(from); // and Meta would refuse a free-form message

    await waitFor("the message after the wait", () => sendsTo(graph, from, false).length >= 2);
    await sleep(500);
    const attempts = sendsTo(graph, from, false);
    expect(attempts.map((call) => call.status)).toEqual([200, 200]);
    expect(attempts[1]?.body).toMatchObject({
      type: "template",
      template: { name: FALLBACK_TEMPLATE.name, language: { code: FALLBACK_TEMPLATE.language } },
    });
  }, 90_000);
});
