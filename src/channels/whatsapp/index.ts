/**
 * The WhatsApp Cloud API adapter: verify and parse webhooks, render and send messages, classify
 * Graph API errors. Everything the runtime and server need is exported here.
 */

export { MORE_OPTIONS_TITLE } from "../list-pages.ts";
export { classifyGraphError, classifyNetworkError, GraphRequestError, type SendFailure } from "./errors.ts";
export { graphThreadWorkerUrl } from "./graph-thread.ts";
export type { GraphMarkAsReadBody, GraphSendBody } from "./graph-types.ts";
export { type ParsedWhatsAppWebhook, parseWebhook, type WhatsAppWebhookBatch } from "./parse.ts";
export { renderMarkAsRead, renderMessage, WHATSAPP_LIMITS } from "./render.ts";
export {
  createWhatsAppSender,
  type DownloadedMedia,
  type WhatsAppSender,
  type WhatsAppSenderConfig,
} from "./sender.ts";
export { verifySubscription, verifyWebhookSignature } from "./verify.ts";
