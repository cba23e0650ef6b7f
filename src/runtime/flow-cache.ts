/**
 * Compiled flow versions by id. Versions are immutable, so a compiled version never goes stale; the
 * cache is bounded so a long-lived process with many versions stays flat in memory.
 */
import type { CompiledFlow } from "../engine/compile.ts";
import { compileFlow } from "../engine/compile.ts";
import { getFlowVersion } from "../store/repositories/flow-versions.ts";
import type { StoreDb } from "../store/transaction.ts";

export interface FlowVersionCache {
  get(db: StoreDb, organizationId: string, versionId: string): Promise<CompiledFlow | null>;
}

export function createFlowVersionCache(capacity = 500): FlowVersionCache {
  const cache = new Map<string, CompiledFlow>();
  return {
    async get(db, organizationId, versionId) {
      const cached = cache.get(versionId);
      if (cached) {
        // Refresh recency: Map keeps insertion order, so re-inserting makes it the newest.
        cache.delete(versionId);
        cache.set(versionId, cached);
        return cached;
      }
      const version = await getFlowVersion(db, organizationId, versionId);
      if (!version) return null;
      const compiled = compileFlow(version.graph);
      cache.set(versionId, compiled);
      if (cache.size > capacity) {
        const oldest = cache.keys().next().value;
        if (oldest !== undefined) cache.delete(oldest);
      }
      return compiled;
    },
  };
}
