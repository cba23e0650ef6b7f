/**
 * What the operator services (executions, simulator, conversations, triggers) receive: the store, the
 * runtime that owns every execution change, the in-memory web channel, and a clock tests can pin.
 */
import type { WebChannel } from "../../channels/web/index.ts";
import type { Runtime } from "../../runtime/runtime-types.ts";
import type { StoreDb } from "../../store/index.ts";

export interface OperatorContext {
  db: StoreDb;
  runtime: Runtime;
  webChannel: WebChannel;
  now(): number;
}
