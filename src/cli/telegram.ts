/**
 * `parley telegram set-webhook --channel <id>`: finds the Telegram channel and registers this server's
 * webhook URL for it with the Bot API (setTelegramWebhook does the work).
 */
import { parseArgs } from "node:util";
import { findChannelForWebhook } from "../server/channel-secrets.ts";
import { createChannelSecretBox } from "../server/store-deps.ts";
import { CliError, type CliIo, loadCliConfig, USAGE_EXIT_CODE, withMigratedDatabase } from "./cli-support.ts";
import { setTelegramWebhook } from "./telegram-set-webhook.ts";

const DEFAULT_TELEGRAM_API_URL = "https://api.telegram.org";

/** Resolves to 0 when Telegram accepted the webhook, 1 when it refused. */
export async function runTelegramSetWebhook(args: string[], io: CliIo): Promise<number> {
  const channelId = parseChannelArg(args);
  const config = loadCliConfig(io);
  const secretBox = createChannelSecretBox(config.security.secretKey);
  return withMigratedDatabase(config, async (database) => {
    const channel = await findChannelForWebhook(database, "telegram", channelId);
    if (!channel) throw new CliError(`No Telegram channel has the id ${channelId}.`);
    try {
      const result = await setTelegramWebhook({
        publicUrl: config.server.publicUrl,
        channel,
        secretBox,
        apiUrl: config.telegram?.apiUrl ?? DEFAULT_TELEGRAM_API_URL,
        print: io.out,
      });
      return result.ok ? 0 : 1;
    } catch (error) {
      throw new CliError(error instanceof Error ? error.message : String(error));
    }
  });
}

function parseChannelArg(args: string[]): string {
  try {
    const { values } = parseArgs({ args, options: { channel: { type: "string" } }, strict: true });
    if (values.channel) return values.channel;
  } catch (error) {
    throw new CliError(error instanceof Error ? error.message : String(error), USAGE_EXIT_CODE);
  }
  throw new CliError("telegram set-webhook needs --channel <channel id>", USAGE_EXIT_CODE);
}
