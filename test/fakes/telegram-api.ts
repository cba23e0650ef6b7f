/**
 * A fake Telegram Bot API on 127.0.0.1 for tests: answers `/bot{token}/{method}` with Telegram's
 * envelopes, rejects what Telegram rejects (with its wording) and injects seeded 429/500 faults.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type TelegramFaultKind = "429" | "500";

export interface FakeTelegramApiOptions {
  botToken?: string;
  /** Share of send calls (0–1) answered with an injected fault instead of being processed. */
  failureRate?: number;
  failureKinds?: TelegramFaultKind[];
  seed?: number;
  /** `parameters.retry_after` of injected 429s, in seconds. */
  retryAfter?: number;
  /** Chats whose user blocked the bot: sends answer 403. */
  blockedChats?: string[];
}

export interface FakeTelegramCall {
  method: string;
  body: Record<string, unknown>;
  at: number;
  /** The HTTP status the fake answered. */
  status: number;
}

export interface FakeTelegramApi {
  /** Base URL to pass as `apiUrl`, e.g. http://127.0.0.1:40123 */
  url: string;
  botToken: string;
  calls: FakeTelegramCall[];
  /** Accepted send* calls to one chat, in order. */
  messagesTo(chatId: string | number): FakeTelegramCall[];
  setFaults(faults: { failureRate?: number; failureKinds?: TelegramFaultKind[] }): void;
  waitForCalls(count: number, timeoutMs?: number): Promise<FakeTelegramCall[]>;
  close(): Promise<void>;
}

type Reply = { status: number; body: Record<string, unknown> };

const BOT = { id: 7000000001, is_bot: true, first_name: "Fake Bot", username: "fake_parley_bot" };
const SEND_METHODS = new Set(["sendMessage", "sendPhoto", "sendDocument", "sendVideo", "sendAudio"]);
const MEDIA_FIELDS: Record<string, string> = {
  sendPhoto: "photo",
  sendDocument: "document",
  sendVideo: "video",
  sendAudio: "audio",
};

/** Starts the fake on a free loopback port. */
export async function startFakeTelegramApi(options: FakeTelegramApiOptions = {}): Promise<FakeTelegramApi> {
  const botToken = options.botToken ?? "123456:TEST-token";
  const blocked = new Set(options.blockedChats ?? []);
  const calls: FakeTelegramCall[] = [];
  const waiters = new Set<() => void>();
  const nextMessageId = new Map<string, number>();
  const random = createPrng(options.seed ?? 1);
  let faults = {
    failureRate: options.failureRate ?? 0,
    failureKinds: options.failureKinds ?? ["429", "500"],
  };

  function handle(method: string, body: Record<string, unknown>): Reply {
    if (SEND_METHODS.has(method) && random() < faults.failureRate) {
      const kind = faults.failureKinds[Math.floor(random() * faults.failureKinds.length)] ?? "429";
      return injectFault(kind, options.retryAfter ?? 3);
    }
    if (SEND_METHODS.has(method)) {
      const problem = validateSend(method, body);
      if (problem) return problem;
      const chatId = String(body.chat_id);
      if (blocked.has(chatId)) return fail(403, "Forbidden: bot was blocked by the user");
      const messageId = (nextMessageId.get(chatId) ?? 0) + 1;
      nextMessageId.set(chatId, messageId);
      return ok(buildMessage(messageId, chatId, method, body));
    }
    return handleOther(method, body);
  }

  const server = createServer((request, response) => {
    void serve(request, response);
  });

  async function serve(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(new URL(request.url ?? "/", "http://fake").pathname);
    const raw = await readBody(request);
    let reply: Reply;
    let body: Record<string, unknown> = {};
    if (!match) reply = fail(404, "Not Found");
    else if (match[1] !== botToken) reply = fail(401, "Unauthorized");
    else {
      const parsed = parseJson(raw);
      if (parsed === undefined) reply = fail(400, "Bad Request: invalid JSON");
      else {
        body = parsed;
        reply = handle(match[2] ?? "", body);
      }
    }
    calls.push({ method: match?.[2] ?? "", body, at: Date.now(), status: reply.status });
    for (const wake of [...waiters]) wake();
    response.writeHead(reply.status, { "content-type": "application/json" });
    response.end(JSON.stringify(reply.body));
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    botToken,
    calls,
    messagesTo: (chatId) =>
      calls.filter(
        (c) => SEND_METHODS.has(c.method) && c.status === 200 && String(c.body.chat_id) === String(chatId),
      ),
    setFaults(next) {
      faults = {
        failureRate: next.failureRate ?? faults.failureRate,
        failureKinds: next.failureKinds ?? faults.failureKinds,
      };
    },
    waitForCalls(count, timeoutMs = 5000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (calls.length < count) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(calls.slice(0, count));
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`fake Telegram saw ${calls.length} calls, expected ${count}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

/** Telegram's checks for the send methods, with its error wording. */
function validateSend(method: string, body: Record<string, unknown>): Reply | undefined {
  if (body.chat_id === undefined || body.chat_id === "") return fail(400, "Bad Request: chat_id is empty");
  if (method === "sendMessage") {
    if (typeof body.text !== "string" || body.text.trim().length === 0) {
      return fail(400, "Bad Request: message text is empty");
    }
    if (body.text.length > 4096) return fail(400, "Bad Request: message is too long");
  } else {
    const field = MEDIA_FIELDS[method] ?? "";
    if (typeof body[field] !== "string" || body[field] === "") {
      return fail(400, `Bad Request: there is no ${field} in the request`);
    }
    if (typeof body.caption === "string" && body.caption.length > 1024) {
      return fail(400, "Bad Request: message caption is too long");
    }
  }
  return validateKeyboard(body.reply_markup);
}

function validateKeyboard(markup: unknown): Reply | undefined {
  if (markup === undefined) return undefined;
  const rows = isRecord(markup) ? markup.inline_keyboard : undefined;
  if (!Array.isArray(rows) || !rows.every(Array.isArray)) {
    return fail(400, "Bad Request: can't parse reply keyboard markup JSON object");
  }
  for (const button of rows.flat()) {
    if (!isRecord(button) || typeof button.text !== "string" || button.text === "") {
      return fail(400, "Bad Request: can't parse inline keyboard button: Text must be non-empty");
    }
    const data = button.callback_data;
    if (typeof data === "string" && (data.length === 0 || Buffer.byteLength(data, "utf8") > 64)) {
      return fail(400, "Bad Request: BUTTON_DATA_INVALID");
    }
  }
  return undefined;
}

function handleOther(method: string, body: Record<string, unknown>): Reply {
  switch (method) {
    case "answerCallbackQuery":
      if (typeof body.callback_query_id !== "string" || body.callback_query_id === "") {
        return fail(400, "Bad Request: query is too old and response timeout expired or query ID is invalid");
      }
      return ok(true);
    case "setWebhook":
      if (typeof body.url !== "string") return fail(400, "Bad Request: bad webhook: URL must be provided");
      if (typeof body.secret_token === "string" && !/^[A-Za-z0-9_-]{1,256}$/.test(body.secret_token)) {
        return fail(400, "Bad Request: bad webhook: secret token contains unallowed characters");
      }
      return { status: 200, body: { ok: true, result: true, description: "Webhook was set" } };
    case "deleteWebhook":
      return { status: 200, body: { ok: true, result: true, description: "Webhook was deleted" } };
    case "getMe":
      return ok(BOT);
    default:
      return fail(404, "Not Found");
  }
}

function buildMessage(messageId: number, chatId: string, method: string, body: Record<string, unknown>) {
  const numericId = Number(chatId);
  const message: Record<string, unknown> = {
    message_id: messageId,
    from: BOT,
    chat: { id: Number.isSafeInteger(numericId) ? numericId : chatId, type: "private" },
    date: Math.floor(Date.now() / 1000),
  };
  if (method === "sendMessage") message.text = body.text;
  else message[MEDIA_FIELDS[method] ?? "document"] = { file_id: `fake-file-${messageId}` };
  if (typeof body.caption === "string") message.caption = body.caption;
  if (body.reply_markup !== undefined) message.reply_markup = body.reply_markup;
  return message;
}

function injectFault(kind: TelegramFaultKind, retryAfter: number): Reply {
  if (kind === "500") return fail(500, "Internal Server Error");
  return {
    status: 429,
    body: {
      ok: false,
      error_code: 429,
      description: `Too Many Requests: retry after ${retryAfter}`,
      parameters: { retry_after: retryAfter },
    },
  };
}

function ok(result: unknown): Reply {
  return { status: 200, body: { ok: true, result } };
}

function fail(status: number, description: string): Reply {
  return { status, body: { ok: false, error_code: status, description } };
}

/** mulberry32: tiny, seedable, good enough to spread faults reproducibly. */
function createPrng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function parseJson(raw: string): Record<string, unknown> | undefined {
  if (raw.trim() === "") return {};
  try {
    const value: unknown = JSON.parse(raw);
    return isRecord(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
