/**
 * What `parley telegram set-webhook` does: points a Telegram bot channel's webhook at this server's
 * per-channel URL, with the channel's secret so the webhook route can authenticate every update.
 */
import { createTelegramSender, type TelegramSenderConfig } from "../channels/telegram/index.ts";
import { readChannelSecrets } from "../server/channel-secrets.ts";
import type { ChannelRecord, SecretBox } from "../store/index.ts";

/** Telegram delivers webhooks only to these ports (fact sheet §1). */
const TELEGRAM_PORTS = new Set(["443", "80", "88", "8443"]);
const TELEGRAM_SECRET = /^[A-Za-z0-9_-]{1,256}$/;

export interface SetTelegramWebhookOptions {
  /** PARLEY_PUBLIC_URL: the https:// address Telegram reaches this server at. */
  publicUrl: string | undefined;
  channel: ChannelRecord;
  secretBox: SecretBox;
  /** Bot API base URL, e.g. config.telegram.apiUrl or "https://api.telegram.org". */
  apiUrl: string;
  /** Where the outcome is printed; default console.log. */
  print?: (line: string) => void;
  /** Builds the Bot API client; tests pass one aimed at the fake Telegram API. */
  createSender?: (config: TelegramSenderConfig) => {
    setWebhook(url: string, secret: string): Promise<{ ok: boolean; description?: string }>;
    close(): Promise<void>;
  };
}

export interface SetTelegramWebhookResult {
  ok: boolean;
  url: string;
  description?: string;
}

/** The URL Telegram must POST a channel's updates to. */
export function getTelegramWebhookUrl(publicUrl: string, channelId: string): string {
  return `${publicUrl.replace(/\/+$/, "")}/api/webhook/telegram/${encodeURIComponent(channelId)}`;
}

/**
 * Calls setWebhook for the channel and prints the outcome. Throws, before calling Telegram, when the
 * public URL, the bot token or the webhook secret make success impossible.
 * @example await setTelegramWebhook({ publicUrl: config.server.publicUrl, channel, secretBox, apiUrl });
 */
export async function setTelegramWebhook(
  options: SetTelegramWebhookOptions,
): Promise<SetTelegramWebhookResult> {
  const { channel, print = console.log } = options;
  const secrets = readChannelSecrets(channel, options.secretBox);
  if (secrets.kind !== "telegram")
    throw new Error(`channel ${channel.id} is a ${channel.kind} channel, not Telegram`);
  if (!secrets.botToken) throw new Error(`channel ${channel.id} has no bot token`);
  if (!secrets.webhookSecret || !TELEGRAM_SECRET.test(secrets.webhookSecret)) {
    throw new Error(
      `channel ${channel.id} needs a webhook secret of 1-256 characters A-Z a-z 0-9 _ - (Telegram's rule)`,
    );
  }
  const url = getTelegramWebhookUrl(checkPublicUrl(options.publicUrl), channel.id);
  const createSender = options.createSender ?? createTelegramSender;
  const sender = createSender({ apiUrl: options.apiUrl, botToken: secrets.botToken });
  try {
    const answer = await sender.setWebhook(url, secrets.webhookSecret);
    const result: SetTelegramWebhookResult = { ok: answer.ok, url };
    if (answer.description !== undefined) result.description = answer.description;
    const detail = answer.description ? ` (${answer.description})` : "";
    print(
      answer.ok ? `Telegram webhook set to ${url}${detail}` : `Telegram refused the webhook ${url}${detail}`,
    );
    return result;
  } finally {
    await sender.close();
  }
}

function checkPublicUrl(publicUrl: string | undefined): string {
  if (!publicUrl) throw new Error("PARLEY_PUBLIC_URL is not set; Telegram needs a public https:// URL");
  const parsed = new URL(publicUrl);
  if (parsed.protocol !== "https:")
    throw new Error(`Telegram only calls https:// webhooks, not ${publicUrl}`);
  if (parsed.port !== "" && !TELEGRAM_PORTS.has(parsed.port)) {
    throw new Error(`Telegram only calls ports 443, 80, 88 and 8443, not ${parsed.port}`);
  }
  return publicUrl;
}
