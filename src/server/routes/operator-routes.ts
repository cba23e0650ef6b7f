/**
 * The operator and integration routes in one list for the composition root: executions, the
 * simulator, conversations, live events, integration triggers and inbound media.
 */
import type { FastifyPluginAsync } from "fastify";
import type { WebChannel } from "../../channels/web/index.ts";
import type { Runtime } from "../../runtime/runtime-types.ts";
import type { Database } from "../../store/index.ts";
import type { Config } from "../config.ts";
import type { OperatorContext } from "../services/executions-context.ts";
import { createSimulator } from "../services/simulator.ts";
import { createConversationRoutes } from "./conversations.ts";
import { createExecutionRoutes } from "./executions.ts";
import { createLiveRoutes } from "./live.ts";
import { createMediaRoutes } from "./media.ts";
import { createSimulatorRoutes } from "./simulator.ts";
import { createTriggerRoutes } from "./triggers.ts";

export interface OperatorRouteOptions {
  database: Database;
  runtime: Runtime;
  /** The web channel the runtime's channel directory sends simulator messages through. */
  webChannel: WebChannel;
  config: Config;
  /** Where the runtime stores downloaded inbound media. */
  mediaDir: string;
  /** The clock; Date.now by default (tests pin it). */
  now?: () => number;
}

/**
 * The route plugins, to register after authentication (buildServer's `plugins`).
 * @example buildServer({ ...deps, plugins: [...createOperatorPlugins({ database, runtime, webChannel, config, mediaDir })] })
 */
export function createOperatorPlugins(options: OperatorRouteOptions): FastifyPluginAsync[] {
  const ctx: OperatorContext = {
    db: options.database.db,
    runtime: options.runtime,
    webChannel: options.webChannel,
    now: options.now ?? Date.now,
  };
  return [
    createExecutionRoutes(ctx),
    createSimulatorRoutes(createSimulator(ctx)),
    createConversationRoutes(ctx),
    createTriggerRoutes(ctx),
    createMediaRoutes(options.mediaDir),
    createLiveRoutes(options.runtime.bus),
  ];
}
