/**
 * Conversations (seed 003): one per contact, its transcript (inbound and outbound merged, oldest
 * first), the 24 h WhatsApp window, agent replies through the runtime's outbox, and hand-back.
 */
import type { ChannelKind } from "../../core/channel.ts";
import type { OutboundMessage } from "../../core/messages.ts";
import { isWindowClosed, WINDOW_MS } from "../../runtime/dispatcher.ts";
import {
  type ChannelRecord,
  type ContactRecord,
  type ExecutionRecord,
  findActiveExecution,
  getChannel,
  getContact,
  listChannels,
  listOutboundForContact,
  type OutboundMessageRecord,
  type Page,
} from "../../store/index.ts";
import {
  type ConversationRow,
  listConversations,
  listInboundMessagesOfContact,
  type TranscriptInbound,
} from "../../store/repositories/conversations.ts";
import type { PageRequest } from "./context.ts";
import type { OperatorContext } from "./executions-context.ts";
import { notFound } from "./scope.ts";

/** Transcript messages returned per direction. */
const TRANSCRIPT_LIMIT = 200;

export interface ConversationListQuery extends PageRequest {
  search?: string | undefined;
  channelId?: string | undefined;
}

export interface MessageWindow {
  open: boolean;
  /** When free-form replies stop being allowed; null when the channel has no window or it never opened. */
  expiresAt: number | null;
}

export interface ConversationListPage extends Page<ConversationRow> {
  channelKinds: Map<string, ChannelKind>;
}

export interface ConversationDetail {
  contact: ContactRecord;
  channel: ChannelRecord | null;
  inbound: TranscriptInbound[];
  outbound: OutboundMessageRecord[];
  activeExecution: ExecutionRecord | null;
  window: MessageWindow;
}

/** One page of conversations, with the kind of each channel (the window applies to WhatsApp only). */
export async function listConversationPage(
  ctx: OperatorContext,
  organizationId: string,
  query: ConversationListQuery,
): Promise<ConversationListPage> {
  const [page, channels] = await Promise.all([
    listConversations(ctx.db, organizationId, query),
    listChannels(ctx.db, organizationId),
  ]);
  return { ...page, channelKinds: new Map(channels.map((channel) => [channel.id, channel.kind])) };
}

/** A contact's conversation, or 404. */
export async function requireConversation(
  ctx: OperatorContext,
  organizationId: string,
  contactId: string,
): Promise<ConversationDetail> {
  const contact = await getContact(ctx.db, organizationId, contactId);
  if (!contact) throw notFound("conversation", contactId);
  const [channel, inbound, outbound, activeExecution] = await Promise.all([
    getChannel(ctx.db, organizationId, contact.channelId),
    listInboundMessagesOfContact(ctx.db, organizationId, contactId, TRANSCRIPT_LIMIT),
    listOutboundForContact(ctx.db, organizationId, contactId, TRANSCRIPT_LIMIT),
    findActiveExecution(ctx.db, organizationId, contactId),
  ]);
  const window = describeWindow(contact, channel?.kind, ctx.now());
  return { contact, channel, inbound, outbound, activeExecution, window };
}

/** What an operator may send: text, one media item, or an approved template. */
export type AgentReplyInput =
  | { text: string }
  | { media: { type: MediaType; url: string; caption?: string | undefined; filename?: string | undefined } }
  | { template: { name: string; language: string; params: string[] } };

type MediaType = Extract<OutboundMessage, { type: "media" }>["mediaType"];

/** Queues an operator's reply; WA_TEMPLATE_REQUIRED when free-form content meets a closed window. */
export async function replyToConversation(
  ctx: OperatorContext,
  organizationId: string,
  contactId: string,
  input: AgentReplyInput,
): Promise<{ outboundId: number; windowOpen: boolean }> {
  return ctx.runtime.sendAgentReply({ organizationId, contactId, message: toOutboundMessage(input) });
}

function toOutboundMessage(input: AgentReplyInput): OutboundMessage {
  if ("text" in input) return { type: "text", text: input.text };
  if ("media" in input) {
    const { type, url, caption, filename } = input.media;
    return {
      type: "media",
      mediaType: type,
      url,
      ...(caption === undefined ? {} : { caption }),
      ...(filename === undefined ? {} : { filename }),
    };
  }
  return { type: "template", ...input.template };
}

/** Hands a conversation an operator took over back to the bot (the waiting handoff node resumes). */
export async function handConversationBack(
  ctx: OperatorContext,
  organizationId: string,
  contactId: string,
): Promise<void> {
  await ctx.runtime.handback(organizationId, contactId);
}

/** WhatsApp allows free-form messages for 24 h after the contact's last message; other channels always. */
export function describeWindow(
  contact: ContactRecord,
  kind: ChannelKind | undefined,
  now: number,
): MessageWindow {
  if (kind !== "whatsapp") return { open: true, expiresAt: null };
  const expiresAt = contact.lastInboundAt === null ? null : contact.lastInboundAt + WINDOW_MS;
  return { open: !isWindowClosed(contact, now), expiresAt };
}
