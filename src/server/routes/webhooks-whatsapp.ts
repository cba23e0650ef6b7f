/**
 * WhatsApp Cloud API webhooks: Meta's GET handshake and signed POSTs, per channel and for the channel
 * configured from the environment. A POST is acknowledged only once its messages are durable.
 */
import type { FastifyBaseLogger, FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { FastifyPluginAsyncZod, ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import {
  type ParsedWhatsAppWebhook,
  parseWebhook,
  verifySubscription,
  verifyWebhookSignature,
} from "../../channels/whatsapp/index.ts";
import type { ChannelSender, InboundMessage, StatusUpdate } from "../../core/channel.ts";
import { ParleyError } from "../../core/errors.ts";
import type { AcceptResult, ChannelDirectory, Runtime } from "../../runtime/runtime-types.ts";
import {
  type ChannelRecord,
  type Database,
  findChannelByExternalId,
  type SecretBox,
} from "../../store/index.ts";
import {
  findChannelForWebhook,
  readChannelSecrets,
  type WhatsAppChannelSecrets,
} from "../channel-secrets.ts";
import type { Config } from "../config.ts";
import { createExpiringCache } from "../expiring-cache.ts";

/** Ids longer than this are no platform's; refusing them keeps unique indexes and logs sane. */
const MAX_ID_LENGTH = 512;
/** The largest millisecond timestamp a Date can hold. */
const MAX_DATE_MS = 8.64e15;

/**
 * How long a webhook reuses the channel it looked up: every POST needs it, and a changed, disabled or
 * deleted channel (or a rotated app secret) must still be seen within seconds.
 */
export const WEBHOOK_CHANNEL_TTL_MS = 2_000;

/** Meta sends webhook payloads of up to 3 MB; 3 MiB leaves room for either reading of "MB". */
export const WHATSAPP_WEBHOOK_BODY_LIMIT = 3 * 1024 * 1024;

export interface WebhookRouteOptions {
  runtime: Runtime;
  directory: ChannelDirectory;
  database: Database;
  secretBox: SecretBox;
  config: Config;
  /** For work that outlives the request (mark-as-read, callback answers). */
  logger: FastifyBaseLogger;
}

type FindChannel = (phoneNumberId: string) => Promise<ChannelRecord | null>;

const errorSchema = z.object({ error: z.string(), code: z.string(), details: z.unknown().optional() });
const paramsSchema = z.object({ channelId: z.string().min(1).max(200) });
const handshakeQuery = z.looseObject({
  "hub.mode": z.string().optional(),
  "hub.verify_token": z.string().optional(),
  "hub.challenge": z.string().optional(),
});
const acceptedSchema = z.object({
  status: z.literal("ok"),
  accepted: z.number().int(),
  duplicates: z.number().int(),
});
const getSchema = {
  tags: ["webhooks"],
  querystring: handshakeQuery,
  response: { 403: errorSchema, 404: errorSchema },
};
/**
 * Webhook POSTs skip Fastify's "incoming request" / "request completed" lines: at Meta's rates they
 * would be most of the log. Failures are still logged by the error handler.
 */
const postConfig = { requestLogging: false };
const postSchema = {
  tags: ["webhooks"],
  description: "Body: Meta's webhook JSON, signed with X-Hub-Signature-256 over the raw bytes.",
  response: { 200: acceptedSchema, 400: errorSchema, 401: errorSchema, 404: errorSchema, 413: errorSchema },
};

/** Registers GET/POST /api/webhook/whatsapp/:channelId and GET/POST /api/webhook/whatsapp (environment channel). */
export function createWhatsAppWebhookRoutes(options: WebhookRouteOptions): FastifyPluginAsyncZod {
  const { database, secretBox } = options;
  return async (app) => {
    keepRawJsonBodies(app);
    const parseJson = app.getDefaultJsonParser("error", "error");
    const known = createExpiringCache<{ channel: ChannelRecord; secrets: WhatsAppChannelSecrets }>({
      ttlMs: WEBHOOK_CHANNEL_TTL_MS,
    });
    const loadChannel = async (channelId: string) => {
      const channel = await findChannelForWebhook(database, "whatsapp", channelId);
      const secrets = channel && readChannelSecrets(channel, secretBox);
      return channel && secrets?.kind === "whatsapp" ? { channel, secrets } : null;
    };
    const findChannel = async (channelId: string) => {
      const found = await known.get(channelId, loadChannel);
      if (!found) throw new ParleyError("NOT_FOUND");
      return found;
    };

    app.get(
      "/api/webhook/whatsapp/:channelId",
      { schema: { ...getSchema, summary: "Meta's webhook handshake for one channel", params: paramsSchema } },
      async (request, reply) => {
        const { secrets } = await findChannel(request.params.channelId);
        return answerHandshake(reply, request.query, secrets.verifyToken);
      },
    );

    app.post(
      "/api/webhook/whatsapp/:channelId",
      {
        bodyLimit: WHATSAPP_WEBHOOK_BODY_LIMIT,
        config: postConfig,
        schema: {
          ...postSchema,
          summary: "Inbound messages and statuses for one channel",
          params: paramsSchema,
        },
      },
      async (request) => {
        const { channel, secrets } = await findChannel(request.params.channelId);
        const body = await readSignedJson(parseJson, request, secrets.appSecret);
        const ownNumber: FindChannel = async (id) => (id === channel.externalId ? channel : null);
        return deliverWebhook(request, parseWebhook(body), ownNumber, options);
      },
    );

    registerEnvironmentChannelWebhook(app, "/api/webhook/whatsapp", options);
  };
}

/**
 * Registers GET and POST at `path` for the number configured by WHATSAPP_TOKEN / PHONE_NUMBER_ID /
 * VERIFY_TOKEN / WHATSAPP_APP_SECRET; batches are routed to channels by phone_number_id. The instance
 * must keep raw JSON bodies (keepRawJsonBodies).
 */
export function registerEnvironmentChannelWebhook(
  app: FastifyInstance,
  path: string,
  options: WebhookRouteOptions,
): void {
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const whatsapp = options.config.whatsapp;
  const parseJson = app.getDefaultJsonParser("error", "error");
  const byNumber = createExpiringCache<ChannelRecord>({ ttlMs: WEBHOOK_CHANNEL_TTL_MS });
  const findByNumber: FindChannel = (id) =>
    byNumber.get(id, (number) => findChannelByExternalId(options.database.db, "whatsapp", number));
  typed.get(
    path,
    { schema: { ...getSchema, summary: "Meta's webhook handshake (environment channel)" } },
    async (request, reply) => {
      if (!whatsapp) throw new ParleyError("NOT_FOUND");
      return answerHandshake(reply, request.query, whatsapp.verifyToken);
    },
  );
  typed.post(
    path,
    {
      bodyLimit: WHATSAPP_WEBHOOK_BODY_LIMIT,
      config: postConfig,
      schema: { ...postSchema, summary: "Inbound messages and statuses (environment channel)" },
    },
    async (request) => {
      if (!whatsapp) throw new ParleyError("NOT_FOUND");
      const body = await readSignedJson(parseJson, request, whatsapp.appSecret);
      return deliverWebhook(request, parseWebhook(body), findByNumber, options);
    },
  );
}

/**
 * Replaces the JSON parser of this encapsulated instance with one that keeps the bytes unparsed, so
 * the signature is checked before any parsing (readSignedJson parses afterwards).
 */
export function keepRawJsonBodies(app: FastifyInstance): void {
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser("application/json", { parseAs: "buffer" }, (_request, body, done) => {
    done(null, body);
  });
}

function answerHandshake(
  reply: FastifyReply,
  query: Record<string, unknown>,
  verifyToken: string | undefined,
) {
  const check = verifyToken ? verifySubscription(query, verifyToken) : { ok: false as const };
  if (!check.ok) throw new ParleyError("FORBIDDEN", "Webhook verification failed.");
  return reply.code(200).type("text/plain; charset=utf-8").send(check.challenge);
}

type JsonParser = ReturnType<FastifyInstance["getDefaultJsonParser"]>;

/**
 * Verifies X-Hub-Signature-256 over the raw bytes, then parses them with `parseJson`, Fastify's
 * prototype-poisoning guarded parser.
 */
async function readSignedJson(
  parseJson: JsonParser,
  request: FastifyRequest,
  appSecret: string | undefined,
): Promise<unknown> {
  const raw = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
  const header = request.headers["x-hub-signature-256"];
  const signature = typeof header === "string" ? header : undefined;
  if (!appSecret || !verifyWebhookSignature(raw, signature, appSecret)) {
    throw new ParleyError("WEBHOOK_SIGNATURE_INVALID");
  }
  return new Promise((resolve, reject) => {
    parseJson(request, raw.toString("utf8"), (error, value) =>
      error ? reject(new ParleyError("INVALID_JSON")) : resolve(value),
    );
  });
}

/** Hands every batch of a known number to the runtime; resolves only once all of it is durable. */
async function deliverWebhook(
  request: FastifyRequest,
  parsed: ParsedWhatsAppWebhook,
  findChannel: FindChannel,
  options: WebhookRouteOptions,
): Promise<z.output<typeof acceptedSchema>> {
  const total: AcceptResult = { accepted: 0, duplicates: 0 };
  for (const batch of parsed.batches) {
    const { phoneNumberId } = batch;
    if (batch.errors.length > 0) {
      const errors = batch.errors.slice(0, 10);
      request.log.warn({ event: "WEBHOOK", phoneNumberId, errors }, "WhatsApp reported webhook errors");
    }
    const channel = await findChannel(phoneNumberId);
    if (!channel) {
      const counts = { messages: batch.messages.length, statuses: batch.statuses.length };
      request.log.warn(
        { event: "WEBHOOK", phoneNumberId, ...counts },
        "ignored a batch for an unknown number",
      );
      continue;
    }
    const messages = keepWellFormed(request, batch.messages, isWellFormedInbound);
    const statuses = keepWellFormed(request, batch.statuses, isWellFormedStatus);
    if (messages.length > 0) {
      const result = await options.runtime.acceptInbound(channel, messages);
      total.accepted += result.accepted;
      total.duplicates += result.duplicates;
      if (result.accepted > 0) markNewestRead(channel, messages, options);
    }
    if (statuses.length > 0) await options.runtime.applyStatuses(statuses);
  }
  return { status: "ok", ...total };
}

/**
 * False for what no platform sends but a broken or forged body could parse into: empty or oversized ids,
 * timestamps a Date cannot hold, nesting too deep to store. Shared with the Telegram route.
 */
export function isWellFormedInbound(message: InboundMessage): boolean {
  return (
    isUsableId(message.externalMessageId) &&
    isUsableId(message.contact.externalId) &&
    isUsableTimestamp(message.timestamp) &&
    isSerialisable(message)
  );
}

function isWellFormedStatus(status: StatusUpdate): boolean {
  return isUsableId(status.providerMessageId) && isUsableTimestamp(status.timestamp);
}

/** The runtime stores messages as JSON; a `raw` nested a million levels deep would overflow the stack there. */
function isSerialisable(message: InboundMessage): boolean {
  try {
    JSON.stringify(message);
    return true;
  } catch {
    return false;
  }
}

function isUsableId(id: string): boolean {
  return id.trim() !== "" && id.length <= MAX_ID_LENGTH;
}

function isUsableTimestamp(ms: number): boolean {
  return Number.isFinite(ms) && ms >= 0 && ms <= MAX_DATE_MS;
}

function keepWellFormed<T>(request: FastifyRequest, items: T[], check: (item: T) => boolean): T[] {
  const kept = items.filter(check);
  if (kept.length < items.length) {
    request.log.warn(
      { event: "WEBHOOK", dropped: items.length - kept.length },
      "dropped malformed webhook items",
    );
  }
  return kept;
}

/** Blue ticks for each contact's newest message; marking it marks the earlier ones too. Never awaited. */
function markNewestRead(
  channel: ChannelRecord,
  messages: InboundMessage[],
  options: WebhookRouteOptions,
): void {
  const newest = new Map<string, string>();
  for (const message of messages) {
    if (message.kind !== "system") newest.set(message.contact.externalId, message.externalMessageId);
  }
  let sender: ChannelSender;
  try {
    sender = options.directory.senderFor(channel);
  } catch (error) {
    options.logger.warn({ err: error, channelId: channel.id }, "no sender to mark messages read");
    return;
  }
  if (!canMarkAsRead(sender)) return;
  for (const messageId of newest.values()) {
    sender.markAsRead(messageId).catch((error: unknown) => {
      options.logger.warn({ err: error, channelId: channel.id, messageId }, "mark-as-read failed");
    });
  }
}

function canMarkAsRead(
  sender: ChannelSender,
): sender is ChannelSender & { markAsRead(messageId: string): Promise<void> } {
  return "markAsRead" in sender && typeof sender.markAsRead === "function";
}
