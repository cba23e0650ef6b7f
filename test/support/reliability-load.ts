/**
 * Traffic patterns of the reliability suite against a spawned Parley running the echo flow: contacts
 * that talk in order (each message acknowledged before the next), deliveries repeated the way Meta
 * retries them, and the replies each conversation must end up with.
 */
import { type Dispatcher, request } from "undici";
import { ECHO_PROMPT, echoOf } from "./traffic-flows.ts";
import { signBody, WEBHOOK_PATH, webhookBody } from "./whatsapp-traffic.ts";

export interface WebhookAnswer {
  status: number;
  accepted: number;
  duplicates: number;
}

/** POSTs one signed body (through `dispatcher` when given); network failures answer status 0. */
export async function deliver(
  baseUrl: string,
  body: string,
  dispatcher?: Dispatcher,
): Promise<WebhookAnswer> {
  try {
    const response = await request(`${baseUrl}${WEBHOOK_PATH}`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-hub-signature-256": signBody(body) },
      body,
      ...(dispatcher ? { dispatcher } : {}),
    });
    const json: unknown = await response.body.json().catch(() => ({}));
    const counts = typeof json === "object" && json !== null ? json : {};
    return {
      status: response.statusCode,
      accepted: "accepted" in counts && typeof counts.accepted === "number" ? counts.accepted : 0,
      duplicates: "duplicates" in counts && typeof counts.duplicates === "number" ? counts.duplicates : 0,
    };
  } catch {
    return { status: 0, accepted: 0, duplicates: 0 };
  }
}

/** The texts a contact sends to the echo flow: "go", then `m1`…`m<count-1>`. */
export function echoScript(count: number, tag = "m"): string[] {
  return ["go", ...Array.from({ length: count - 1 }, (_, index) => `${tag}${index + 1}`)];
}

/** The replies the echo flow owes a contact that sent `texts` (which start with "go"). */
export function expectedEchoReplies(texts: readonly string[]): string[] {
  return [ECHO_PROMPT, ...texts.slice(1).flatMap((text) => [echoOf(text), ECHO_PROMPT])];
}

export interface ConversationOptions {
  /** How many times each body is delivered (1 = once). */
  copies?: (index: number) => number;
  /** Delay before a repeated copy; 0 = at the same time as the first. */
  repeatDelayMs?: (index: number, copy: number) => number;
  /** Told of every acknowledged message id. */
  onAck?: (id: string, text: string) => void;
}

export interface ConversationResult {
  answers: WebhookAnswer[];
  /** Copies still on their way when the conversation ended; await before asserting. */
  late: Promise<WebhookAnswer[]>;
}

/**
 * Sends `texts` from `from`, one message per body, each acknowledged before the next; stops at the first
 * delivery that gets no answer (a killed server). Repeated copies go concurrently or later.
 */
export async function converse(
  baseUrl: string,
  from: string,
  texts: readonly string[],
  options: ConversationOptions = {},
): Promise<ConversationResult> {
  const answers: WebhookAnswer[] = [];
  const late: Promise<WebhookAnswer>[] = [];
  for (const [index, text] of texts.entries()) {
    const id = `wamid.${from}.${index}`;
    const body = webhookBody([{ from, id, text }]);
    const copies = options.copies?.(index) ?? 1;
    const now: Promise<WebhookAnswer>[] = [deliver(baseUrl, body)];
    for (let copy = 1; copy < copies; copy++) {
      const delay = options.repeatDelayMs?.(index, copy) ?? 0;
      if (delay === 0) now.push(deliver(baseUrl, body));
      else late.push(sleep(delay).then(() => deliver(baseUrl, body)));
    }
    const settled = await Promise.all(now);
    answers.push(...settled);
    if (settled.some((answer) => answer.status === 200)) options.onAck?.(id, text);
    if (settled.every((answer) => answer.status === 0)) break;
  }
  return { answers, late: Promise.all(late) };
}

/** Drops immediate repeats (a send in flight at a crash goes out again right after itself). */
export function collapseRepeats(replies: readonly string[]): string[] {
  return replies.filter((reply, index) => index === 0 || reply !== replies[index - 1]);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((done) => setTimeout(done, ms));
}

/** A seeded mulberry32 generator in [0, 1), so a failing run repeats. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
