/**
 * Every migration, in order, as a static record: no file-system scanning, so migrations run the same
 * under tsx, in a bundle and in tests. Append new ones; never edit one that has shipped.
 */
import type { Migration } from "kysely";
import * as accounts from "./001-accounts.ts";
import * as flowsAndExecutions from "./002-flows-and-executions.ts";
import * as messaging from "./003-messaging.ts";
import * as activeWorkIndexes from "./004-active-work-indexes.ts";
import * as leanHotIndexes from "./005-lean-hot-indexes.ts";
import * as statusFreeHotIndexes from "./006-status-free-hot-indexes.ts";

export const MIGRATIONS: Record<string, Migration> = {
  "001-accounts": accounts,
  "002-flows-and-executions": flowsAndExecutions,
  "003-messaging": messaging,
  "004-active-work-indexes": activeWorkIndexes,
  "005-lean-hot-indexes": leanHotIndexes,
  "006-status-free-hot-indexes": statusFreeHotIndexes,
};
