/**
 * Turns an outbound message into the display-ready form the builder's test panel draws, cut to the
 * limits a WhatsApp user would see (button titles 20, row titles 24, descriptions 72) so authors
 * notice overlong labels before they publish.
 */
import type { ButtonChoice, ListRow, OutboundMessage } from "../../core/messages.ts";
import { selectListPage } from "../list-pages.ts";

export const WEB_LIMITS = { buttonTitle: 20, rowTitle: 24, rowDescription: 72, listButton: 20 } as const;

/** What the simulator draws for one message; ids stay intact so a tap answers the right option. */
export interface WebRendered {
  type: OutboundMessage["type"];
  header?: string;
  text: string;
  footer?: string;
  /** Reply buttons, or a template's quick replies (ids `button-{index}`). */
  buttons: ButtonChoice[];
  list?: { buttonText: string; rows: ListRow[]; page: number; pageCount: number };
  media?: { mediaType: string; url: string; filename?: string };
  template?: { name: string; language: string };
}

/** Renders one message for the web simulator. */
export function renderWebMessage(message: OutboundMessage): WebRendered {
  switch (message.type) {
    case "text":
      return { type: "text", text: message.text, buttons: [] };
    case "buttons":
      return {
        type: "buttons",
        ...foldFrame(message.header, message.footer),
        text: message.body,
        buttons: message.buttons.map((b) => ({ id: b.id, title: cutText(b.title, WEB_LIMITS.buttonTitle) })),
      };
    case "list": {
      const page = selectListPage(message.rows, message.page ?? 0);
      const rows = page.rows.map((row) => cutRow(row));
      return {
        type: "list",
        ...foldFrame(message.header, message.footer),
        text: message.body,
        buttons: [],
        list: { ...page, rows, buttonText: cutText(message.buttonText, WEB_LIMITS.listButton) },
      };
    }
    case "media":
      return {
        type: "media",
        text: message.caption ?? "",
        buttons: [],
        media: {
          mediaType: message.mediaType,
          url: message.url,
          ...(message.filename ? { filename: message.filename } : {}),
        },
      };
    case "template":
      return {
        type: "template",
        text: describeTemplate(message),
        buttons: (message.buttons ?? []).map((title, index) => ({ id: `button-${index}`, title })),
        template: { name: message.name, language: message.language },
      };
    default:
      return assertNever(message);
  }
}

/**
 * The visible text of a template when its approved body is not at hand: the name, then each
 * parameter on its own line (header parameters first).
 */
export function describeTemplate(message: Extract<OutboundMessage, { type: "template" }>): string {
  const params = [...(message.headerParams ?? []), ...message.params];
  return [`[${message.name}]`, ...params].join("\n");
}

/** Cuts a label to `limit` characters, ending with "…" when something was removed. */
export function cutText(text: string, limit: number): string {
  const chars = Array.from(text);
  return chars.length <= limit ? text : `${chars.slice(0, limit - 1).join("")}…`;
}

function cutRow(row: ListRow): ListRow {
  const title = cutText(row.title, WEB_LIMITS.rowTitle);
  if (row.description === undefined) return { id: row.id, title };
  return { id: row.id, title, description: cutText(row.description, WEB_LIMITS.rowDescription) };
}

function foldFrame(
  header: string | undefined,
  footer: string | undefined,
): { header?: string; footer?: string } {
  return { ...(header ? { header } : {}), ...(footer ? { footer } : {}) };
}

function assertNever(value: never): never {
  throw new Error(`Unhandled message ${JSON.stringify(value)}`);
}
