/**
 * `npm run bench:runtime`: the runtime without HTTP — accept → step → dispatch to a no-op channel —
 * on SQLite in a temp dir, C contacts in a closed loop through a 3-turn flow (greeting + 3 buttons,
 * a free-text email, a closing text). A turn is: message accepted → its last reply handed to the
 * channel. Prints one JSON line. Options: --contacts 200 --seconds 10 --concurrency 32 (contacts
 * stepped at once, the runtime's `concurrency`).
 */
import { randomUUID } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ChannelSender } from "../src/core/channel.ts";
import { flowGraphSchema } from "../src/core/flow.ts";
import type { OutboundMessage } from "../src/core/messages.ts";
import { createRuntime } from "../src/runtime/runtime.ts";
import { openDatabase } from "../src/store/database.ts";
import { migrateToLatest } from "../src/store/migrate.ts";
import { createChannel } from "../src/store/repositories/channels.ts";
import { publishFlow } from "../src/store/repositories/flow-versions.ts";
import { createFlow } from "../src/store/repositories/flows.ts";
import { createOrganization } from "../src/store/repositories/organizations.ts";
import { cpuPercent, readCpuMs } from "../test/support/whatsapp-traffic.ts";

function option(name: string, fallback: number): number {
  const index = process.argv.indexOf(`--${name}`);
  return index > 0 ? Number(process.argv[index + 1]) : fallback;
}

const CONTACTS = option("contacts", 200);
const SECONDS = option("seconds", 10);
const CONCURRENCY = option("concurrency", 32);

export const threeTurnFlow = {
  nodes: [
    { id: "s", type: "start", position: { x: 0, y: 0 }, data: { keywords: ["hi"] } },
    { id: "g", type: "text", position: { x: 0, y: 0 }, data: { text: "Hi {{contact.name}}!" } },
    {
      id: "q",
      type: "question",
      position: { x: 0, y: 0 },
      data: {
        body: "How can we help?",
        saveAnswerTo: "topic",
        options: [
          { id: "a", title: "Sales" },
          { id: "b", title: "Support" },
          { id: "c", title: "Other" },
        ],
      },
    },
    {
      id: "e",
      type: "question_input",
      position: { x: 0, y: 0 },
      data: { question: "Your email?", variableName: "email", validation: { type: "email" } },
    },
    {
      id: "t",
      type: "text",
      position: { x: 0, y: 0 },
      data: { text: "Thanks, we will write to {{email}}." },
    },
  ],
  edges: [
    { id: "1", source: "s", target: "g" },
    { id: "2", source: "g", target: "q" },
    { id: "3", source: "q", target: "e" },
    { id: "4", source: "e", target: "t" },
  ],
};

/** The message that ends each turn: the question, the email prompt, the closing text. */
function endsTurn(message: OutboundMessage): boolean {
  return message.type === "buttons" || (message.type === "text" && !message.text.startsWith("Hi "));
}

const dataDir = await mkdtemp(join(tmpdir(), "parley-bench-runtime-"));
const database = await openDatabase({ dataDir, backgroundCheckpoints: true });
await migrateToLatest(database.db);
const organization = await createOrganization(database.db, { name: "Bench", at: Date.now() });
const channel = await createChannel(database.db, {
  organizationId: organization.id,
  kind: "whatsapp",
  name: "Bench",
  externalId: "bench",
  at: Date.now(),
});
const flow = await createFlow(database.db, {
  organizationId: organization.id,
  name: "3 turns",
  graph: flowGraphSchema.parse(threeTurnFlow),
  at: Date.now(),
});
await publishFlow(database.db, organization.id, flow.id, ["hi"]);

const waiters = new Map<string, () => void>();
let sends = 0;
const noop: ChannelSender = {
  kind: "whatsapp",
  enforcesWindow: true,
  async send(to, message) {
    sends += 1;
    if (endsTurn(message)) {
      const resolve = waiters.get(to);
      waiters.delete(to);
      resolve?.();
    }
    return { ok: true, providerMessageId: `bench-${sends}` };
  },
};
const runtime = createRuntime({
  database,
  directory: { senderFor: () => noop },
  options: { concurrency: CONCURRENCY, ratePerSecond: 1e9 },
});
await runtime.start();

const latencies: number[] = [];
let turns = 0;
let stopAt = 0;
const SCRIPT = ["hi", "Support", "ana@example.com"];

async function contactLoop(index: number): Promise<void> {
  const phone = `3460${String(index).padStart(7, "0")}`;
  while (performance.now() < stopAt) {
    for (const text of SCRIPT) {
      if (performance.now() >= stopAt) return;
      const replied = new Promise<void>((resolve) => waiters.set(phone, resolve));
      const started = performance.now();
      await runtime.acceptInbound(channel, [
        {
          externalMessageId: `wamid.${randomUUID()}`,
          contact: { externalId: phone, name: "Ana" },
          timestamp: Date.now(),
          kind: "text",
          text,
        },
      ]);
      await replied;
      latencies.push(performance.now() - started);
      turns += 1;
    }
  }
}

// Warm-up, then the measured run.
stopAt = performance.now() + 2000;
await Promise.all(Array.from({ length: CONTACTS }, (_, i) => contactLoop(i)));
latencies.length = 0;
turns = 0;
const started = performance.now();
/** This process (all its threads) and its main thread alone, as /proc names them. */
const cpuTasks = [`${process.pid}`, `${process.pid}/task/${process.pid}`];
const cpuAtStart = cpuTasks.map(readCpuMs);
stopAt = started + SECONDS * 1000;
await Promise.all(Array.from({ length: CONTACTS }, (_, i) => contactLoop(i + CONTACTS)));
const elapsed = (performance.now() - started) / 1000;
const [processCpuMs = 0, mainThreadCpuMs = 0] = cpuTasks.map(
  (task, index) => readCpuMs(task) - (cpuAtStart[index] ?? 0),
);
await runtime.stop();
await database.close();
await rm(dataDir, { recursive: true, force: true });

latencies.sort((a, b) => a - b);
const percentile = (p: number) =>
  Math.round((latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? 0) * 10) / 10;
console.log(
  JSON.stringify({
    bench: "runtime",
    store: "sqlite",
    contacts: CONTACTS,
    concurrency: CONCURRENCY,
    seconds: Math.round(elapsed * 10) / 10,
    turns,
    turns_per_s: Math.round(turns / elapsed),
    turn_p50_ms: percentile(0.5),
    turn_p99_ms: percentile(0.99),
    rss_mb: Math.round(process.memoryUsage().rss / 1048576),
    cpu_pct: cpuPercent(processCpuMs, elapsed),
    main_thread_cpu_pct: cpuPercent(mainThreadCpuMs, elapsed),
    target_turns_per_s: 5000,
  }),
);
