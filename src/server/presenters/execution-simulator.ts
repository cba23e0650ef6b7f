/**
 * The simulator poll as the builder's test panel reads it (web/src/api.ts `SimulatorPoll`): the bot's
 * messages with their display-ready rendering, and the session's execution state for the canvas.
 */
import { z } from "zod";
import type { WebMessage } from "../../channels/web/index.ts";
import { EXECUTION_STATUSES } from "../../core/execution.ts";
import type { ExecutionRecord } from "../../store/index.ts";
import type { SimulatorPoll } from "../services/simulator.ts";
import { toIso } from "./shared.ts";

export const simulatorMessageSchema = z.object({
  id: z.string(),
  at: z.string(),
  message: z.record(z.string(), z.unknown()).describe("The channel-independent message"),
  rendered: z
    .record(z.string(), z.unknown())
    .describe("What a WhatsApp user would see (cut titles, paged lists)"),
});

export const simulatorPollSchema = z.object({
  messages: z.array(simulatorMessageSchema),
  execution: z
    .object({
      id: z.string(),
      status: z.enum(EXECUTION_STATUSES),
      current_node_id: z.string().nullable(),
      visited_nodes: z.array(z.string()),
      variables: z.record(z.string(), z.unknown()),
    })
    .nullable(),
});

/** A poll answer. */
export function presentSimulatorPoll(poll: SimulatorPoll): z.infer<typeof simulatorPollSchema> {
  return { messages: poll.messages.map(presentSimulatorMessage), execution: presentState(poll.execution) };
}

function presentSimulatorMessage(message: WebMessage): z.infer<typeof simulatorMessageSchema> {
  return {
    id: message.id,
    at: toIso(message.at),
    message: { ...message.message },
    rendered: { ...message.rendered },
  };
}

function presentState(execution: ExecutionRecord | null): z.infer<typeof simulatorPollSchema>["execution"] {
  if (!execution) return null;
  return {
    id: execution.id,
    status: execution.status,
    current_node_id: execution.currentNodeId,
    visited_nodes: execution.state.visitedNodes,
    variables: execution.state.variables,
  };
}
