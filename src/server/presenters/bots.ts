/** Bots as the API shows them (snake_case). */
import { z } from "zod";
import type { BotRecord } from "../../store/index.ts";
import { toIso } from "./shared.ts";

export const botSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  is_default: z.boolean(),
  created_at: z.string(),
});

/** A bot record as JSON. */
export function presentBot(bot: BotRecord): z.infer<typeof botSchema> {
  return {
    id: bot.id,
    name: bot.name,
    description: bot.description,
    is_default: bot.isDefault,
    created_at: toIso(bot.createdAt),
  };
}
