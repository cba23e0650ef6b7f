/** Bots (seed 002): named assistants grouping channels and flows; the default bot cannot be deleted. */
import { ParleyError } from "../../core/errors.ts";
import { type BotRecord, createBot, deleteBot, getBot, listBots, updateBot } from "../../store/index.ts";
import type { ServiceContext } from "./context.ts";
import { notFound } from "./scope.ts";

/** The organization's bots, the default first. */
export function listBotsOf(ctx: ServiceContext, organizationId: string): Promise<BotRecord[]> {
  return listBots(ctx.db, organizationId);
}

/** One bot, or 404. */
export async function requireBot(
  ctx: ServiceContext,
  organizationId: string,
  id: string,
): Promise<BotRecord> {
  const bot = await getBot(ctx.db, organizationId, id);
  if (!bot) throw notFound("bot", id);
  return bot;
}

/** Creates a (non-default) bot. */
export function addBot(
  ctx: ServiceContext,
  organizationId: string,
  input: { name: string; description?: string | undefined },
): Promise<BotRecord> {
  return createBot(ctx.db, {
    organizationId,
    name: input.name,
    description: input.description,
    at: ctx.now(),
  });
}

/** Renames or re-describes a bot. */
export async function changeBot(
  ctx: ServiceContext,
  organizationId: string,
  id: string,
  patch: { name?: string | undefined; description?: string | undefined },
): Promise<BotRecord> {
  const bot = await updateBot(ctx.db, organizationId, id, patch);
  if (!bot) throw notFound("bot", id);
  return bot;
}

/** Deletes a bot; its channels and flows stay, unassigned. The default bot answers 409. */
export async function removeBot(ctx: ServiceContext, organizationId: string, id: string): Promise<void> {
  const bot = await requireBot(ctx, organizationId, id);
  if (bot.isDefault) throw new ParleyError("CONFLICT", "The organization's default bot cannot be deleted.");
  await deleteBot(ctx.db, organizationId, id);
}
