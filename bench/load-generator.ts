/**
 * The benchmarks' load generator, a process of its own (forked with IPC by test/support/e2e-load.ts):
 * it runs the fake Graph API, so it can timestamp each reply and match it to its contact's pending
 * turn, and posts signed webhooks over keep-alive connections — C contacts in a closed loop, or R
 * messages per second in an open loop. Answers "run" with one result message.
 */
import { monitorEventLoopDelay } from "node:perf_hooks";
import { Pool } from "undici";
import { type RecordedCall, startFakeGraphApi } from "../test/fakes/graph-api.ts";
import { endsBenchTurn } from "../test/support/traffic-flows.ts";
import {
  type InboundSpec,
  loopLatenessMs,
  signBody,
  WA,
  WEBHOOK_PATH,
  webhookBody,
} from "../test/support/whatsapp-traffic.ts";

export interface LoadRun {
  type: "run";
  parleyUrl: string;
  contacts: number;
  seconds: number;
  warmupSeconds: number;
  /** Messages per second for an open loop; absent = closed loop. */
  rate?: number;
  /** Digits the contacts' numbers start with. */
  phonePrefix: string;
}

export interface LoadResult {
  type: "result";
  mode: "closed" | "open";
  turns: number;
  messages: number;
  turns_per_s: number;
  ack_p50_ms: number;
  ack_p99_ms: number;
  turn_p50_ms: number;
  turn_p99_ms: number;
  errors: number;
  timeouts: number;
  unmatched: number;
  /**
   * How late this process's own event loop ran in the measured window (p99 and max, in ms): an ack is
   * timed when the generator reads it, so a generator that stalls lengthens the acks it reads then.
   */
  generator_loop_delay_p99_ms: number;
  generator_loop_delay_max_ms: number;
}

const LOOP_DELAY_RESOLUTION_MS = 1;

interface Contact {
  phone: string;
  step: number;
  sent: number;
  /** Sent turns waiting for their reply, oldest first. */
  pending: { sentAt: number; measured: boolean }[];
  /**
   * Open loop: the contact's webhook POST in flight. The next one waits for its answer, as a phone's
   * messages reach Meta one after another: sent at once on two pooled connections, they could
   * overtake each other (it happened while the pool opened its connections), and the flow would
   * then see "Support" before "hi".
   */
  posting: Promise<unknown>;
  replied?: () => void;
}

/** A turn whose reply takes longer than this is counted as a timeout. */
const TURN_TIMEOUT_MS = 10_000;
const SCRIPT: ((phone: string, id: string) => InboundSpec)[] = [
  (from, id) => ({ from, id, text: "hi" }),
  (from, id) => ({ from, id, button: { id: "b", title: "Support" } }),
  (from, id) => ({ from, id, text: "ana@example.com" }),
];

const graph = await startFakeGraphApi({ accessToken: WA.token });
process.send?.({ type: "ready", graphUrl: graph.url });
process.on("message", (message: LoadRun | { type: "stop" }) => {
  if (message.type === "stop") process.exit(0);
  else void run(message).then((result) => process.send?.(result));
});

async function run(options: LoadRun): Promise<LoadResult> {
  const contacts = new Map<string, Contact>();
  for (let index = 0; index < options.contacts; index++) {
    const phone = `${options.phonePrefix}${String(index).padStart(12 - options.phonePrefix.length, "0")}`;
    contacts.set(phone, { phone, step: 0, sent: 0, pending: [], posting: Promise.resolve() });
  }
  const pool = new Pool(options.parleyUrl, { connections: Math.min(options.contacts, 128), pipelining: 1 });
  const acks: number[] = [];
  const turns: number[] = [];
  const counts = { errors: 0, timeouts: 0, unmatched: 0, messages: 0 };
  const started = performance.now();
  const measureFrom = started + options.warmupSeconds * 1000;
  const endAt = measureFrom + options.seconds * 1000;
  const loopDelay = monitorEventLoopDelay({ resolution: LOOP_DELAY_RESOLUTION_MS });
  const loopDelayWindow = [
    setTimeout(() => loopDelay.enable(), measureFrom - started),
    setTimeout(() => loopDelay.disable(), endAt - started),
  ];

  const onCall = (call: RecordedCall, at: number) => {
    const body = typeof call.body === "object" && call.body !== null ? call.body : {};
    if ("status" in body || !("to" in body) || typeof body.to !== "string") return; // read receipts
    if (!endsBenchTurn(body)) return;
    const contact = contacts.get(body.to.replace(/\D/g, ""));
    const turn = contact?.pending.shift();
    if (!contact || !turn) {
      counts.unmatched++;
      return;
    }
    if (turn.measured) turns.push(at - turn.sentAt);
    contact.replied?.();
  };
  void tapReplies(onCall);

  /** Posts the contact's next message; `sentAt` is when it was due (open loop: queueing counts too). */
  const send = async (contact: Contact, sentAt = performance.now()) => {
    const id = `wamid.bench.${contact.phone}.${contact.sent++}`;
    const body = webhookBody([
      SCRIPT[contact.step]?.(contact.phone, id) ?? { from: contact.phone, id, text: "hi" },
    ]);
    contact.step = (contact.step + 1) % SCRIPT.length;
    const measured = sentAt >= measureFrom && sentAt < endAt;
    const turn = { sentAt, measured };
    contact.pending.push(turn);
    counts.messages += measured ? 1 : 0;
    try {
      const answer = await pool.request({
        path: WEBHOOK_PATH,
        method: "POST",
        headers: { "content-type": "application/json", "x-hub-signature-256": signBody(body) },
        body,
      });
      await answer.body.dump();
      if (measured) acks.push(performance.now() - sentAt);
      if (answer.statusCode === 200) return true;
    } catch {
      // counted below
    }
    counts.errors++;
    contact.pending.splice(contact.pending.indexOf(turn), 1);
    return false;
  };

  if (options.rate === undefined) {
    const loop = async (contact: Contact) => {
      while (performance.now() < endAt) {
        const replied = new Promise<boolean>((resolve) => {
          const timer = setTimeout(() => resolve(false), TURN_TIMEOUT_MS);
          contact.replied = () => {
            clearTimeout(timer);
            resolve(true);
          };
        });
        if (!(await send(contact))) {
          await new Promise((done) => setTimeout(done, 100));
          continue;
        }
        if (!(await replied)) {
          counts.timeouts++;
          contact.pending.shift();
        }
      }
    };
    await Promise.all([...contacts.values()].map(loop));
  } else {
    const all = [...contacts.values()];
    const rate = options.rate;
    let offered = 0;
    await new Promise<void>((done) => {
      const ticker = setInterval(() => {
        const now = performance.now();
        const due = Math.min(
          Math.floor(((now - started) * rate) / 1000),
          Math.floor(((endAt - started) * rate) / 1000),
        );
        while (offered < due) {
          const contact = all[offered++ % all.length];
          if (contact) contact.posting = contact.posting.then(() => send(contact, now));
        }
        if (now >= endAt) {
          clearInterval(ticker);
          done();
        }
      }, 1);
    });
    const until = performance.now() + TURN_TIMEOUT_MS;
    while (performance.now() < until && all.some((contact) => contact.pending.length > 0)) {
      await new Promise((done) => setTimeout(done, 50));
    }
    for (const contact of all) counts.timeouts += contact.pending.filter((turn) => turn.measured).length;
  }
  await pool.close();
  for (const timer of loopDelayWindow) clearTimeout(timer);
  loopDelay.disable();
  const delayMs = (nanoseconds: number) => loopLatenessMs(nanoseconds / 1e6, LOOP_DELAY_RESOLUTION_MS);

  const elapsed = (Math.min(performance.now(), endAt) - measureFrom) / 1000;
  return {
    type: "result",
    mode: options.rate === undefined ? "closed" : "open",
    turns: turns.length,
    messages: counts.messages,
    turns_per_s: Math.round(turns.length / elapsed),
    ack_p50_ms: percentile(acks, 0.5),
    ack_p99_ms: percentile(acks, 0.99),
    turn_p50_ms: percentile(turns, 0.5),
    turn_p99_ms: percentile(turns, 0.99),
    errors: counts.errors,
    timeouts: counts.timeouts,
    unmatched: counts.unmatched,
    generator_loop_delay_p99_ms: delayMs(loopDelay.percentile(99)),
    generator_loop_delay_max_ms: delayMs(loopDelay.max),
  };
}

/** Hands each call the fake records to `onCall` with the time it was seen, and forgets it. */
async function tapReplies(onCall: (call: RecordedCall, at: number) => void): Promise<void> {
  for (;;) {
    await graph.waitForCalls(1, 24 * 3_600_000);
    const at = performance.now();
    for (const call of graph.calls) onCall(call, at);
    graph.calls.length = 0;
  }
}

function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round((sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? 0) * 10) / 10;
}
