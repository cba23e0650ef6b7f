/**
 * Telegram Bot API webhook: one URL per bot channel, authenticated by the secret header before the
 * body is parsed. Messages are acknowledged only once durable; everything else is a quiet 200.
 */
import type { FastifyRequest } from "fastify";
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import {
  parseTelegramUpdate,
  TELEGRAM_SECRET_HEADER,
  verifyTelegramSecret,
} from "../../channels/telegram/index.ts";
import type { ChannelSender } from "../../core/channel.ts";
import { ParleyError } from "../../core/errors.ts";
import type { ChannelRecord } from "../../store/index.ts";
import { findChannelForWebhook, readChannelSecrets } from "../channel-secrets.ts";
import { isWellFormedInbound, type WebhookRouteOptions } from "./webhooks-whatsapp.ts";

const errorSchema = z.object({ error: z.string(), code: z.string(), details: z.unknown().optional() });
const paramsSchema = z.object({ channelId: z.string().min(1).max(200) });

/** Registers POST /api/webhook/telegram/:channelId (the URL setWebhook registers, see telegram-set-webhook.ts). */
export function createTelegramWebhookRoutes(options: WebhookRouteOptions): FastifyPluginAsyncZod {
  const { database, secretBox, runtime } = options;
  return async (app) => {
    // Filled by the onRequest check, read by the handler: the channel is looked up once per update.
    const authenticated = new WeakMap<FastifyRequest, ChannelRecord>();

    app.post(
      "/api/webhook/telegram/:channelId",
      {
        schema: {
          tags: ["webhooks"],
          summary: "Telegram updates for one bot channel",
          description: `Authenticated by the ${TELEGRAM_SECRET_HEADER} header set with setWebhook.`,
          params: paramsSchema,
          response: {
            200: z.object({ ok: z.literal(true) }),
            400: errorSchema,
            401: errorSchema,
            404: errorSchema,
          },
        },
        // Runs before the body is read, so an unauthenticated caller never gets its JSON parsed.
        onRequest: async (request) => {
          const channel = await findChannelForWebhook(database, "telegram", request.params.channelId);
          const secrets = channel && readChannelSecrets(channel, secretBox);
          if (!channel || secrets?.kind !== "telegram") throw new ParleyError("NOT_FOUND");
          const header = request.headers[TELEGRAM_SECRET_HEADER];
          const presented = typeof header === "string" ? header : undefined;
          if (!verifyTelegramSecret(presented, secrets.webhookSecret ?? "")) {
            throw new ParleyError("UNAUTHENTICATED", "Missing or wrong X-Telegram-Bot-Api-Secret-Token.");
          }
          authenticated.set(request, channel);
        },
      },
      async (request) => {
        const channel = authenticated.get(request);
        if (!channel) throw new ParleyError("INTERNAL_ERROR");
        const update = parseTelegramUpdate(request.body);
        // Answer first: the button's spinner keeps turning until Telegram hears back, and late answers fail.
        if (update.callback) answerCallback(channel, update.callback.callbackQueryId, options);
        if (update.message && isWellFormedInbound(update.message)) {
          await runtime.acceptInbound(channel, [update.message]);
        } else {
          const reason = update.ignored ?? "malformed message";
          request.log.info({ event: "WEBHOOK", updateId: update.updateId, reason }, "ignored update");
        }
        return { ok: true as const };
      },
    );
  };
}

function answerCallback(channel: ChannelRecord, callbackQueryId: string, options: WebhookRouteOptions): void {
  let sender: ChannelSender;
  try {
    sender = options.directory.senderFor(channel);
  } catch (error) {
    options.logger.warn({ err: error, channelId: channel.id }, "no sender to answer the callback query");
    return;
  }
  if (!canAnswerCallbacks(sender)) return;
  sender.answerCallbackQuery(callbackQueryId).catch((error: unknown) => {
    options.logger.warn({ err: error, channelId: channel.id, callbackQueryId }, "answerCallbackQuery failed");
  });
}

function canAnswerCallbacks(
  sender: ChannelSender,
): sender is ChannelSender & { answerCallbackQuery(id: string): Promise<void> } {
  return "answerCallbackQuery" in sender && typeof sender.answerCallbackQuery === "function";
}
