/**
 * The Telegram ChannelSender: renders a message into Bot API calls and performs them in order. No
 * 24 h window applies. HTTP problems come back as SendOutcomes, never as exceptions.
 */
import { z } from "zod";
import type { ChannelSender, SendOutcome } from "../../core/channel.ts";
import type { OutboundMessage } from "../../core/messages.ts";
import { classifyTelegramError } from "./classify-telegram-error.ts";
import { renderTelegramMessage } from "./render-telegram-message.ts";
import { type BotApiReply, createTelegramBotClient } from "./telegram-bot-client.ts";

export interface TelegramSenderConfig {
  apiUrl: string;
  botToken: string;
  timeoutMs?: number;
}

export interface TelegramSender extends ChannelSender {
  readonly kind: "telegram";
  readonly enforcesWindow: false;
  /** Stops the client's spinner; failures (a stale query) are ignored, the flow goes on regardless. */
  answerCallbackQuery(id: string, text?: string): Promise<void>;
  setWebhook(url: string, secret: string): Promise<{ ok: boolean; description?: string }>;
  deleteWebhook(): Promise<{ ok: boolean; description?: string }>;
  close(): Promise<void>;
}

const sentMessageSchema = z.object({ ok: z.literal(true), result: z.object({ message_id: z.number() }) });
const resultSchema = z.object({ ok: z.boolean(), description: z.string().optional() });

/**
 * Creates a sender for one bot. The outcome's providerMessageId is `${chat_id}:${message_id}` of the
 * last call (the part that carries the keyboard).
 */
export function createTelegramSender(config: TelegramSenderConfig): TelegramSender {
  const client = createTelegramBotClient(config);

  return {
    kind: "telegram",
    enforcesWindow: false,

    async send(recipientExternalId: string, message: OutboundMessage): Promise<SendOutcome> {
      const calls = renderTelegramMessage(recipientExternalId, message);
      let providerMessageId = "";
      for (const [index, call] of calls.entries()) {
        const reply = await client.call(call.method, call.body);
        const sent = sentMessageSchema.safeParse(reply.body);
        if (reply.status !== 200 || !sent.success) {
          return describePartialFailure(classifyTelegramError(reply.status, reply.body), index, calls.length);
        }
        providerMessageId = `${recipientExternalId}:${sent.data.result.message_id}`;
      }
      return { ok: true, providerMessageId };
    },

    async answerCallbackQuery(id: string, text?: string): Promise<void> {
      await client.call("answerCallbackQuery", {
        callback_query_id: id,
        ...(text === undefined ? {} : { text }),
      });
    },

    async setWebhook(url: string, secret: string) {
      return readResult(await client.call("setWebhook", { url, secret_token: secret }));
    },

    async deleteWebhook() {
      return readResult(await client.call("deleteWebhook", {}));
    },

    close: () => client.close(),
  };
}

/**
 * A failure after earlier parts went out is still reported as a failure, with a note: retrying
 * repeats those parts, which is better than silently losing the rest of the message.
 */
function describePartialFailure(
  failure: Extract<SendOutcome, { ok: false }>,
  index: number,
  total: number,
): Extract<SendOutcome, { ok: false }> {
  if (index === 0) return failure;
  return {
    ...failure,
    message: `${failure.message} (part ${index + 1} of ${total}; earlier parts were sent)`,
  };
}

function readResult(reply: BotApiReply): { ok: boolean; description?: string } {
  const parsed = resultSchema.safeParse(reply.body);
  if (parsed.success && reply.status === 200) return parsed.data;
  const failure = classifyTelegramError(reply.status, reply.body);
  return { ok: false, description: failure.message };
}
