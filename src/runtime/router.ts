/**
 * Picks the flow a new conversation starts: a trigger keyword of an active, published flow in scope
 * (the channel's bot first, then the organization), else the organization's default flow.
 */
import type { TriggerInfo } from "../core/execution.ts";
import type { ChannelRecord, TriggerFlow } from "../store/records.ts";
import { listActiveFlowsForTrigger } from "../store/repositories/flow-versions.ts";
import type { StoreDb } from "../store/transaction.ts";

export interface Route {
  flowId: string;
  versionId: string;
  trigger: TriggerInfo;
}

/** Normalises a keyword or message the way start nodes are matched: trimmed, lower case. */
export function normalizeKeyword(text: string): string {
  return text.trim().toLowerCase();
}

/** The flow a message starts, or null when nothing in scope matches (the message is unhandled). */
export async function routeMessage(db: StoreDb, channel: ChannelRecord, text: string): Promise<Route | null> {
  const flows = await listActiveFlowsForTrigger(db, channel.organizationId, channel.botId);
  return pickRoute(flows, channel.botId, text);
}

/** Pure part of routing, so the order of precedence is testable without a database. */
export function pickRoute(flows: readonly TriggerFlow[], botId: string | null, text: string): Route | null {
  const wanted = normalizeKeyword(text);
  const inScope = [...flows].sort((a, b) => scopeRank(a, botId) - scopeRank(b, botId));
  if (wanted !== "") {
    const match = inScope.find((flow) =>
      flow.triggerKeywords.some((keyword) => normalizeKeyword(keyword) === wanted),
    );
    if (match) {
      return {
        flowId: match.id,
        versionId: match.publishedVersionId,
        trigger: { kind: "keyword", text, keyword: wanted },
      };
    }
  }
  const fallback = inScope.find((flow) => flow.isDefault);
  if (!fallback) return null;
  return { flowId: fallback.id, versionId: fallback.publishedVersionId, trigger: { kind: "default", text } };
}

function scopeRank(flow: TriggerFlow, botId: string | null): number {
  return botId !== null && flow.botId === botId ? 0 : 1;
}
