/**
 * Renders Parley's channel-independent OutboundMessage into Graph API `/messages` bodies within
 * WhatsApp's limits (fact sheet §6.1): long text is split, titles are cut, long lists are paged.
 */
import type { ButtonChoice, ListRow, OutboundMessage } from "../../core/messages.ts";
import { selectListPage } from "../list-pages.ts";
import type {
  GraphInteractive,
  GraphMarkAsReadBody,
  GraphMediaBody,
  GraphSendBody,
  GraphTemplate,
  GraphTemplateParameter,
} from "./graph-types.ts";
import { cutText, cutUniqueTitles, splitText } from "./text-fit.ts";

export type { GraphSendBody } from "./graph-types.ts";

/** WhatsApp's documented limits; list bodies stay at 1024 as older docs and many BSPs require. */
export const WHATSAPP_LIMITS = {
  textBody: 4096,
  interactiveBody: 1024,
  headerText: 60,
  footerText: 60,
  replyButtons: 3,
  buttonTitle: 20,
  listButton: 20,
  listRows: 10,
  rowTitle: 24,
  rowDescription: 72,
  caption: 1024,
} as const;

const DEFAULT_LIST_BUTTON = "Options";
const CAPTIONED_MEDIA = new Set(["image", "video", "document"]);

/** Renders one message as one or more `/messages` bodies, to be sent in order. */
export function renderMessage(to: string, message: OutboundMessage): GraphSendBody[] {
  const recipient = formatRecipient(to);
  switch (message.type) {
    case "text":
      return renderText(recipient, message.text);
    case "buttons":
      return renderButtons(recipient, message);
    case "list":
      return renderList(recipient, message);
    case "media":
      return [renderMedia(recipient, message)];
    case "template":
      return [{ ...envelope(recipient), type: "template", template: renderTemplate(message) }];
    default: {
      const unknown: never = message;
      throw new Error(`Unknown outbound message type: ${JSON.stringify(unknown)}`);
    }
  }
}

/** The body that marks an inbound message (and earlier ones) read, optionally showing "typing…". */
export function renderMarkAsRead(messageId: string, typing?: boolean): GraphMarkAsReadBody {
  const body: GraphMarkAsReadBody = { messaging_product: "whatsapp", status: "read", message_id: messageId };
  if (typing) body.typing_indicator = { type: "text" };
  return body;
}

function renderText(to: string, text: string, limit: number = WHATSAPP_LIMITS.textBody): GraphSendBody[] {
  // preview_url stays off: a flow author's link should not turn into an unplanned preview card.
  return splitText(text, limit).map((body) => ({
    ...envelope(to),
    type: "text",
    text: { body, preview_url: false },
  }));
}

function renderButtons(to: string, message: Extract<OutboundMessage, { type: "buttons" }>): GraphSendBody[] {
  if (message.buttons.length === 0) return renderText(to, message.body);
  if (message.buttons.length > WHATSAPP_LIMITS.replyButtons) {
    // More choices than WhatsApp shows as buttons: a list keeps every choice reachable.
    return renderList(to, {
      ...message,
      type: "list",
      buttonText: DEFAULT_LIST_BUTTON,
      rows: message.buttons,
    });
  }
  const titles = cutUniqueTitles(
    message.buttons.map((button: ButtonChoice) => button.title),
    WHATSAPP_LIMITS.buttonTitle,
  );
  return withLeadingText(to, message.body, (body) => ({
    type: "button",
    ...decorations(message),
    body: { text: body },
    action: {
      buttons: message.buttons.map((button, index) => ({
        type: "reply",
        reply: { id: button.id, title: titles[index] ?? button.title },
      })),
    },
  }));
}

function renderList(to: string, message: Extract<OutboundMessage, { type: "list" }>): GraphSendBody[] {
  if (message.rows.length === 0) return renderText(to, message.body);
  const rows = selectListPage(message.rows, message.page ?? 0).rows.map((row) => {
    const rendered: ListRow = { id: row.id, title: cutText(row.title.trim(), WHATSAPP_LIMITS.rowTitle) };
    if (row.description) rendered.description = cutText(row.description, WHATSAPP_LIMITS.rowDescription);
    return rendered;
  });
  const button = cutText(message.buttonText.trim() || DEFAULT_LIST_BUTTON, WHATSAPP_LIMITS.listButton);
  return withLeadingText(to, message.body, (body) => ({
    type: "list",
    ...decorations(message),
    body: { text: body },
    action: { button, sections: [{ title: cutText(button, WHATSAPP_LIMITS.rowTitle), rows }] },
  }));
}

/** An interactive body takes ≤ 1024 units; anything before that goes out first as plain text. */
function withLeadingText(
  to: string,
  body: string,
  build: (body: string) => GraphInteractive,
): GraphSendBody[] {
  const chunks = splitText(body, WHATSAPP_LIMITS.interactiveBody);
  const last = chunks.pop() ?? body;
  const leading = chunks.flatMap((chunk) => renderText(to, chunk));
  return [...leading, { ...envelope(to), type: "interactive", interactive: build(last) }];
}

function decorations(message: {
  header?: string;
  footer?: string;
}): Pick<GraphInteractive, "header" | "footer"> {
  const parts: Pick<GraphInteractive, "header" | "footer"> = {};
  const header = message.header?.trim();
  const footer = message.footer?.trim();
  if (header) parts.header = { type: "text", text: cutText(header, WHATSAPP_LIMITS.headerText) };
  if (footer) parts.footer = { text: cutText(footer, WHATSAPP_LIMITS.footerText) };
  return parts;
}

function renderMedia(to: string, message: Extract<OutboundMessage, { type: "media" }>): GraphMediaBody {
  const media: { link: string; caption?: string; filename?: string } = { link: message.url };
  const caption = message.caption?.trim();
  // Audio and stickers take no caption at all; Meta rejects or drops it.
  if (caption && CAPTIONED_MEDIA.has(message.mediaType))
    media.caption = cutText(caption, WHATSAPP_LIMITS.caption);
  if (message.mediaType === "document") {
    const filename = message.filename?.trim() || fileNameOf(message.url);
    if (filename) media.filename = filename;
  }
  return { ...envelope(to), type: message.mediaType, [message.mediaType]: media };
}

function renderTemplate(message: Extract<OutboundMessage, { type: "template" }>): GraphTemplate {
  const template: GraphTemplate = { name: message.name, language: { code: message.language } };
  const components: NonNullable<GraphTemplate["components"]> = [];
  if (message.headerParams && message.headerParams.length > 0) {
    components.push({ type: "header", parameters: toParameters(message.headerParams) });
  }
  if (message.params.length > 0) components.push({ type: "body", parameters: toParameters(message.params) });
  // Quick-reply buttons need no parameters: without a payload the reply carries the button's label.
  if (components.length > 0) template.components = components;
  return template;
}

function toParameters(values: string[]): GraphTemplateParameter[] {
  return values.map((text) => ({ type: "text", text }));
}

function envelope(to: string): { messaging_product: "whatsapp"; recipient_type: "individual"; to: string } {
  return { messaging_product: "whatsapp", recipient_type: "individual", to };
}

/**
 * Meta wants E.164 with "+"; without it the business number's country code is assumed. Ids that are
 * not phone digits (business-scoped user ids) pass through unchanged.
 */
function formatRecipient(to: string): string {
  const trimmed = to.trim();
  return /^\d+$/.test(trimmed) ? `+${trimmed}` : trimmed;
}

function fileNameOf(url: string): string | undefined {
  try {
    const name = decodeURIComponent(new URL(url).pathname.split("/").pop() ?? "");
    return name || undefined;
  } catch {
    return undefined;
  }
}
