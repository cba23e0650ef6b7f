/**
 * Seed 004's webhook path: `GET/POST /webhook` for the WhatsApp number configured from the environment
 * (VERIFY_TOKEN, WHATSAPP_APP_SECRET), the same handlers as /api/webhook/whatsapp.
 */
import type { FastifyPluginAsync } from "fastify";
import {
  keepRawJsonBodies,
  registerEnvironmentChannelWebhook,
  type WebhookRouteOptions,
} from "./webhooks-whatsapp.ts";

/** Registers GET /webhook (Meta's handshake) and POST /webhook (signed inbound messages and statuses). */
export function createSeed004WebhookRoutes(options: WebhookRouteOptions): FastifyPluginAsync {
  return async (app) => {
    keepRawJsonBodies(app);
    registerEnvironmentChannelWebhook(app, "/webhook", options);
  };
}
