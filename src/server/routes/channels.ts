/**
 * Channel connections (WhatsApp, Telegram, web simulator), admins and owners only. Credentials are
 * write-only: responses carry `secrets: {name: isSet}` and the webhook URL to register.
 */
import type { FastifyPluginAsyncZod } from "fastify-type-provider-zod";
import { z } from "zod";
import { requireRole } from "../auth.ts";
import { channelSchema, presentChannel } from "../presenters/channels.ts";
import { commonErrors, errorSchema, idParams, pageSchema, SECURITY, toPage } from "../presenters/shared.ts";
import {
  type ApiSecrets,
  addChannel,
  changeChannel,
  listChannelsOf,
  removeChannel,
  requireChannel,
} from "../services/channels.ts";
import type { ServiceContext } from "../services/context.ts";
import { getOrganizationId } from "../services/scope.ts";

const TAGS = ["channels"];
const SECRET_NAMES: readonly string[] = [
  "access_token",
  "app_secret",
  "verify_token",
  "bot_token",
  "webhook_secret",
];
const secret = z.string().trim().min(1).max(4096);
const phoneNumberId = z.string().regex(/^\d{5,20}$/, "must be the numeric phone number id from Meta");
const businessAccountId = z.string().regex(/^\d{5,20}$/, "must be the numeric WhatsApp Business Account id");
const botToken = z.string().regex(/^\d+:[A-Za-z0-9_-]+$/, "must look like 123456:ABC-DEF...");
const webhookSecret = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,256}$/, "must be 1-256 characters of A-Z a-z 0-9 _ -");
const common = { name: z.string().trim().min(1).max(255), bot_id: z.string().nullable().optional() };
const createBody = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("whatsapp"),
    ...common,
    phone_number_id: phoneNumberId,
    business_account_id: businessAccountId.optional(),
    access_token: secret,
    app_secret: secret,
    verify_token: secret,
  }),
  z.object({ kind: z.literal("telegram"), ...common, bot_token: botToken, webhook_secret: webhookSecret }),
  z.object({ kind: z.literal("web"), ...common }),
]);
const updateBody = z
  .object({
    ...common,
    phone_number_id: phoneNumberId,
    business_account_id: businessAccountId,
    access_token: secret,
    app_secret: secret,
    verify_token: secret,
    bot_token: botToken,
    webhook_secret: webhookSecret,
  })
  .partial();

/** Registers GET/POST /api/channels and GET/PUT/DELETE /api/channels/{id}. */
export function createChannelRoutes(ctx: ServiceContext): FastifyPluginAsyncZod {
  const present = (channel: Parameters<typeof presentChannel>[0]) =>
    presentChannel(channel, ctx.secretBox, ctx.publicUrl);
  return async (app) => {
    const admin = { preHandler: requireRole("admin") };

    app.get(
      "/api/channels",
      {
        ...admin,
        schema: {
          tags: TAGS,
          summary: "List channels",
          security: SECURITY,
          response: { 200: pageSchema(channelSchema), ...commonErrors },
        },
      },
      async (request) => {
        const channels = await listChannelsOf(ctx, getOrganizationId(request.principal));
        return toPage(channels.map(present), channels.length);
      },
    );

    app.post(
      "/api/channels",
      {
        ...admin,
        schema: {
          tags: TAGS,
          summary: "Connect a WhatsApp number, a Telegram bot or a web simulator channel",
          security: SECURITY,
          body: createBody,
          response: { 201: channelSchema, ...commonErrors, 409: errorSchema },
        },
      },
      async (request, reply) => {
        const body = request.body;
        const channel = await addChannel(ctx, getOrganizationId(request.principal), {
          kind: body.kind,
          name: body.name,
          botId: body.bot_id,
          externalId: body.kind === "whatsapp" ? body.phone_number_id : null,
          config:
            body.kind === "whatsapp" && body.business_account_id
              ? { business_account_id: body.business_account_id }
              : {},
          secrets: pickSecrets(body),
        });
        return reply.code(201).send(present(channel));
      },
    );

    app.get(
      "/api/channels/:id",
      {
        ...admin,
        schema: {
          tags: TAGS,
          summary: "A channel (credentials shown only as set/unset)",
          security: SECURITY,
          params: idParams,
          response: { 200: channelSchema, ...commonErrors },
        },
      },
      async (request) =>
        present(await requireChannel(ctx, getOrganizationId(request.principal), request.params.id)),
    );

    app.put(
      "/api/channels/:id",
      {
        ...admin,
        schema: {
          tags: TAGS,
          summary: "Change a channel; credentials sent replace the stored ones",
          security: SECURITY,
          params: idParams,
          body: updateBody,
          response: { 200: channelSchema, ...commonErrors, 409: errorSchema },
        },
      },
      async (request) => {
        const { name, bot_id, phone_number_id, business_account_id } = request.body;
        const secrets = pickSecrets(request.body);
        const channel = await changeChannel(ctx, getOrganizationId(request.principal), request.params.id, {
          name,
          botId: bot_id,
          externalId: phone_number_id,
          config: business_account_id === undefined ? undefined : { business_account_id },
          secrets: Object.keys(secrets).length > 0 ? secrets : undefined,
        });
        return present(channel);
      },
    );

    app.delete(
      "/api/channels/:id",
      {
        ...admin,
        schema: {
          tags: TAGS,
          summary: "Disconnect a channel with its contacts and conversations",
          security: SECURITY,
          params: idParams,
          response: { 204: z.null().describe("Deleted"), ...commonErrors },
        },
      },
      async (request, reply) => {
        await removeChannel(ctx, getOrganizationId(request.principal), request.params.id);
        return reply.code(204).send(null);
      },
    );
  };
}

function pickSecrets(body: object): ApiSecrets {
  const secrets: ApiSecrets = {};
  for (const [name, value] of Object.entries(body)) {
    if (SECRET_NAMES.includes(name) && typeof value === "string") secrets[name] = value;
  }
  return secrets;
}
