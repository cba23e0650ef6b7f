/**
 * The WhatsApp ChannelSender: renders OutboundMessages, POSTs them to the Graph API `/messages`
 * endpoint in order, and reports a SendOutcome. Also marks messages read and downloads media.
 */
import type { ChannelSender, SendOutcome } from "../../core/channel.ts";
import type { OutboundMessage } from "../../core/messages.ts";
import { classifyGraphError, classifyNetworkError, GraphRequestError, type SendFailure } from "./errors.ts";
import { createGraphClient, type GraphClient } from "./graph-client.ts";
import { createThreadedGraphClient } from "./graph-thread.ts";
import { isRecord, readArray, readString } from "./json-read.ts";
import { renderMarkAsRead, renderMessage } from "./render.ts";

export interface WhatsAppSenderConfig {
  /** e.g. "https://graph.facebook.com"; tests point it at the fake Graph API. */
  graphUrl: string;
  /** e.g. "v25.0". */
  apiVersion: string;
  phoneNumberId: string;
  accessToken: string;
  /** Deadline per HTTP request, connect to last byte (default 10 s). */
  timeoutMs?: number;
  /** Keep-alive connections to the Graph API (default 16). */
  connections?: number;
  /**
   * Run the HTTP on the shared worker thread of this compiled worker module (graph-thread.ts,
   * graphThreadWorkerUrl()) instead of this thread.
   */
  threadWorkerUrl?: URL;
}

export interface DownloadedMedia {
  bytes: Buffer;
  mimeType: string;
  fileName?: string;
}

export interface WhatsAppSender extends ChannelSender {
  readonly kind: "whatsapp";
  readonly enforcesWindow: true;
  /** Marks an inbound message (and earlier ones) read; `typing` also shows "typing…" for up to 25 s. */
  markAsRead(messageId: string, options?: { typing?: boolean }): Promise<void>;
  /** Fetches an inbound media item by its media id (fact sheet §8.5). Throws GraphRequestError. */
  downloadMedia(mediaId: string): Promise<DownloadedMedia>;
  close(): Promise<void>;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_CONNECTIONS = 16;

/** Creates a sender for one WhatsApp business number; it never throws from send(). */
export function createWhatsAppSender(config: WhatsAppSenderConfig): WhatsAppSender {
  const timeoutMs = config.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const clientConfig = {
    graphUrl: config.graphUrl,
    accessToken: config.accessToken,
    timeoutMs,
    connections: config.connections ?? DEFAULT_CONNECTIONS,
  };
  const client = config.threadWorkerUrl
    ? createThreadedGraphClient(clientConfig, config.threadWorkerUrl)
    : createGraphClient(clientConfig);
  const messagesPath = `/${config.apiVersion}/${encodeURIComponent(config.phoneNumberId)}/messages`;

  const post = (body: unknown) => callGraph(client, timeoutMs, "POST", messagesPath, body);

  return {
    kind: "whatsapp",
    enforcesWindow: true,
    async send(recipientExternalId: string, message: OutboundMessage): Promise<SendOutcome> {
      const bodies = renderMessage(recipientExternalId, message);
      if (bodies.length === 0) return nothingToSend();
      let providerMessageId = "";
      for (const [index, body] of bodies.entries()) {
        const answer = await post(body);
        if (!answer.ok)
          return index === 0 ? answer.failure : notePartialSend(answer.failure, index, bodies.length);
        const id = readMessageId(answer.body);
        if (id === undefined) return missingMessageId();
        providerMessageId = id;
      }
      return { ok: true, providerMessageId };
    },
    async markAsRead(messageId, options) {
      const answer = await post(renderMarkAsRead(messageId, options?.typing));
      if (!answer.ok) throw new GraphRequestError(answer.failure);
    },
    async downloadMedia(mediaId) {
      const query = `?phone_number_id=${encodeURIComponent(config.phoneNumberId)}`;
      const path = `/${config.apiVersion}/${encodeURIComponent(mediaId)}${query}`;
      const answer = await callGraph(client, timeoutMs, "GET", path);
      if (!answer.ok) throw new GraphRequestError(answer.failure);
      const url = isRecord(answer.body) ? readString(answer.body.url) : undefined;
      if (url === undefined)
        throw new GraphRequestError(unexpectedAnswer("media lookup answered without a url"));
      return downloadBytes(
        client,
        timeoutMs,
        url,
        isRecord(answer.body) ? readString(answer.body.mime_type) : undefined,
      );
    },
    close: () => client.close(),
  };
}

type GraphAnswer = { ok: true; body: unknown } | { ok: false; failure: SendFailure };

/** One Graph call, with every HTTP or network failure turned into a classified SendFailure. */
async function callGraph(
  client: GraphClient,
  timeoutMs: number,
  method: "GET" | "POST",
  path: string,
  body?: unknown,
): Promise<GraphAnswer> {
  try {
    const response = await client.requestJson(method, path, body);
    if (response.status >= 200 && response.status < 300) return { ok: true, body: response.body };
    return { ok: false, failure: classifyGraphError(response.status, response.body, response.retryAfter) };
  } catch (error) {
    return { ok: false, failure: classifyNetworkError(error, timeoutMs) };
  }
}

async function downloadBytes(
  client: GraphClient,
  timeoutMs: number,
  url: string,
  listedMimeType: string | undefined,
): Promise<DownloadedMedia> {
  let response: Awaited<ReturnType<GraphClient["requestBytes"]>>;
  try {
    response = await client.requestBytes(url);
  } catch (error) {
    throw new GraphRequestError(classifyNetworkError(error, timeoutMs));
  }
  if (response.status < 200 || response.status >= 300) {
    // The download URL expires after 5 minutes; a 404 here means: look the media id up again.
    throw new GraphRequestError(classifyGraphError(response.status, undefined, null));
  }
  const media: DownloadedMedia = {
    bytes: response.bytes,
    mimeType: response.contentType ?? listedMimeType ?? "application/octet-stream",
  };
  const fileName = readFileName(response.contentDisposition);
  if (fileName !== undefined) media.fileName = fileName;
  return media;
}

function readMessageId(body: unknown): string | undefined {
  const first = isRecord(body) ? readArray(body.messages)[0] : undefined;
  return isRecord(first) ? readString(first.id) : undefined;
}

function readFileName(contentDisposition: string | undefined): string | undefined {
  const match = contentDisposition?.match(/filename\*?=(?:UTF-8'')?"?([^";]+)"?/i);
  if (!match?.[1]) return undefined;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return match[1];
  }
}

/** Earlier parts are already on the user's phone; say so, since a retry would send them again. */
function notePartialSend(failure: SendFailure, index: number, total: number): SendFailure {
  return {
    ...failure,
    message: `Part ${index + 1} of ${total} failed after ${index} sent: ${failure.message}`,
  };
}

function nothingToSend(): SendFailure {
  return {
    ok: false,
    retryable: false,
    code: "CHANNEL_SEND_FAILED",
    message: "The message renders to nothing to send (empty text)",
    scope: "message",
  };
}

function missingMessageId(): SendFailure {
  // The send may have gone through; retrying could duplicate it, so this is not retryable.
  return unexpectedAnswer("Graph API accepted the message but returned no message id");
}

function unexpectedAnswer(message: string): SendFailure {
  return { ok: false, retryable: false, code: "CHANNEL_SEND_FAILED", message, scope: "message" };
}
