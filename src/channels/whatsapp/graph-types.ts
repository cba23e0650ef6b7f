/**
 * Shapes of the Graph API `/messages` request bodies Parley sends (fact sheet §6), shared by the
 * renderer, the sender and the fake Graph API used in tests.
 */

export type GraphMediaType = "image" | "video" | "audio" | "document" | "sticker";

export interface GraphMediaObject {
  link: string;
  caption?: string;
  filename?: string;
}

export interface GraphInteractiveText {
  text: string;
}

export interface GraphReplyButton {
  type: "reply";
  reply: { id: string; title: string };
}

export interface GraphListRow {
  id: string;
  title: string;
  description?: string;
}

export type GraphInteractive =
  | {
      type: "button";
      header?: { type: "text"; text: string };
      body: GraphInteractiveText;
      footer?: GraphInteractiveText;
      action: { buttons: GraphReplyButton[] };
    }
  | {
      type: "list";
      header?: { type: "text"; text: string };
      body: GraphInteractiveText;
      footer?: GraphInteractiveText;
      action: { button: string; sections: Array<{ title?: string; rows: GraphListRow[] }> };
    };

export interface GraphTemplateParameter {
  type: "text";
  text: string;
}

export interface GraphTemplate {
  name: string;
  language: { code: string };
  components?: Array<{ type: "header" | "body"; parameters: GraphTemplateParameter[] }>;
}

interface GraphEnvelope {
  messaging_product: "whatsapp";
  recipient_type: "individual";
  to: string;
}

export type GraphMediaBody = GraphEnvelope & { type: GraphMediaType } & Partial<
    Record<GraphMediaType, GraphMediaObject>
  >;

/** One POST body for `/{phone-number-id}/messages`. */
export type GraphSendBody =
  | (GraphEnvelope & { type: "text"; text: { body: string; preview_url: boolean } })
  | (GraphEnvelope & { type: "interactive"; interactive: GraphInteractive })
  | (GraphEnvelope & { type: "template"; template: GraphTemplate })
  | GraphMediaBody;

/** The mark-as-read body (fact sheet §6.3), optionally with a typing indicator. */
export interface GraphMarkAsReadBody {
  messaging_product: "whatsapp";
  status: "read";
  message_id: string;
  typing_indicator?: { type: "text" };
}
