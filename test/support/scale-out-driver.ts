/**
 * Drives conversations through a Parley web process the way WhatsApp would: per contact, closed loop
 * (the next message only after the reply to the previous one reached the fake Graph API), contacts
 * in parallel, every webhook signed. Collects what each contact received, in arrival order.
 */
import { createHmac, randomUUID } from "node:crypto";
import { flowGraphSchema } from "../../src/core/flow.ts";
import type { Database } from "../../src/store/database.ts";
import { publishFlow } from "../../src/store/repositories/flow-versions.ts";
import { createFlow } from "../../src/store/repositories/flows.ts";
import type { FakeGraphApi } from "../fakes/graph-api.ts";

export interface ScaleRun {
  /** Text replies seen by the Graph API so far in this run. */
  replies: number;
}

export interface ConversationsResult {
  /** Phone → texts the Graph API received for it, in arrival order. */
  received: Map<string, string[]>;
  expected(phone: string): string[];
}

export interface ConversationsOptions {
  graph: FakeGraphApi;
  webhookUrl: string;
  appSecret: string;
  /** The channel's number: the route ignores batches for any other. */
  phoneNumberId: string;
  phonePrefix: string;
  contacts: number;
  turns: number;
  timeoutMs: number;
  onProgress?(run: ScaleRun): void;
}

/** The echo flow: "go" → "ready"; then each message → "echo:<it>", "ready". */
export async function publishEchoFlow(database: Database, organizationId: string): Promise<void> {
  const graph = flowGraphSchema.parse({
    nodes: [
      { id: "s", type: "start", position: { x: 0, y: 0 }, data: { keywords: ["go"] } },
      {
        id: "q",
        type: "question_input",
        position: { x: 0, y: 0 },
        data: { question: "ready", variableName: "said", validation: { type: "any" } },
      },
      { id: "t", type: "text", position: { x: 0, y: 0 }, data: { text: "echo:{{said}}" } },
    ],
    edges: [
      { id: "1", source: "s", target: "q" },
      { id: "2", source: "q", target: "t" },
      { id: "3", source: "t", target: "q" },
    ],
  });
  const flow = await createFlow(database.db, { organizationId, name: "Echo", graph, at: Date.now() });
  await publishFlow(database.db, organizationId, flow.id, ["go"]);
}

export async function runConversations(options: ConversationsOptions): Promise<ConversationsResult> {
  const { graph } = options;
  const received = new Map<string, string[]>();
  const waiters = new Map<string, () => void>();
  let seen = graph.calls.length;
  let replies = 0;
  const scan = setInterval(() => {
    for (; seen < graph.calls.length; seen += 1) {
      const call = graph.calls[seen];
      const body = call?.body as { to?: string; type?: string; text?: { body?: string } } | undefined;
      if (!call?.path.endsWith("/messages") || call.status !== 200 || body?.type !== "text") continue;
      const phone = String(body.to).replace(/^\+/, "");
      if (!phone.startsWith(options.phonePrefix)) continue;
      const text = body.text?.body ?? "";
      received.set(phone, [...(received.get(phone) ?? []), text]);
      replies += 1;
      const key = `${phone}|${text}`;
      waiters.get(key)?.();
      waiters.delete(key);
    }
    options.onProgress?.({ replies });
  }, 5);
  const phones = Array.from(
    { length: options.contacts },
    (_, i) => `${options.phonePrefix}${String(i).padStart(8, "0")}`,
  );
  const deadline = Date.now() + options.timeoutMs;
  const waitFor = (phone: string, text: string) =>
    new Promise<void>((resolve, reject) => {
      if (received.get(phone)?.includes(text)) return resolve();
      const timer = setTimeout(
        () => reject(new Error(`no "${text}" for ${phone} in time`)),
        Math.max(0, deadline - Date.now()),
      );
      waiters.set(`${phone}|${text}`, () => {
        clearTimeout(timer);
        resolve();
      });
    });
  try {
    await Promise.all(
      phones.map(async (phone) => {
        await post(options, phone, "go");
        await waitFor(phone, "ready");
        for (let turn = 1; turn <= options.turns; turn += 1) {
          const text = `${phone}-m${turn}`;
          await post(options, phone, text);
          await waitFor(phone, `echo:${text}`);
        }
      }),
    );
    // The last "ready" of every contact follows its last echo (a resent reply repeats adjacently).
    const complete = (phone: string) =>
      collapseRepeats(received.get(phone) ?? []).length >= expectedFor(phone, options.turns).length;
    await waitUntil(() => phones.every(complete), deadline);
  } finally {
    clearInterval(scan);
  }
  return { received, expected: (phone) => expectedFor(phone, options.turns) };
}

/** Replies the Graph API got in the run, and how many of them repeated one already received. */
export function countReplies(result: ConversationsResult): { sent: number; duplicates: number } {
  let sent = 0;
  let duplicates = 0;
  for (const [phone, texts] of result.received) {
    sent += texts.length;
    duplicates += texts.length - result.expected(phone).length;
  }
  return { sent, duplicates };
}

/** Drops a text equal to the one before it: what a resent reply looks like in one contact's line. */
export function collapseRepeats(texts: string[]): string[] {
  return texts.filter((text, index) => index === 0 || texts[index - 1] !== text);
}

function expectedFor(phone: string, turns: number): string[] {
  const texts = ["ready"];
  for (let turn = 1; turn <= turns; turn += 1) texts.push(`echo:${phone}-m${turn}`, "ready");
  return texts;
}

async function post(options: ConversationsOptions, phone: string, text: string): Promise<void> {
  const body = JSON.stringify({
    object: "whatsapp_business_account",
    entry: [
      {
        id: "102000000000001",
        changes: [
          {
            field: "messages",
            value: {
              messaging_product: "whatsapp",
              metadata: { display_phone_number: "15550001111", phone_number_id: options.phoneNumberId },
              contacts: [{ profile: { name: `C ${phone}` }, wa_id: phone }],
              messages: [
                {
                  from: phone,
                  id: `wamid.${randomUUID()}`,
                  timestamp: String(Math.floor(Date.now() / 1000)),
                  type: "text",
                  text: { body: text },
                },
              ],
            },
          },
        ],
      },
    ],
  });
  const signature = `sha256=${createHmac("sha256", options.appSecret).update(body).digest("hex")}`;
  const response = await fetch(options.webhookUrl, {
    method: "POST",
    headers: { "content-type": "application/json", "x-hub-signature-256": signature },
    body,
  });
  if (response.status !== 200)
    throw new Error(`webhook answered ${response.status}: ${await response.text()}`);
}

async function waitUntil(check: () => boolean, deadline: number): Promise<void> {
  while (!check()) {
    if (Date.now() > deadline) throw new Error("timed out waiting for the last replies");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
