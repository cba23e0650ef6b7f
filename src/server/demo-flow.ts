/**
 * The flow a new install starts with, so a first-time user can chat with a bot in the web simulator
 * within a minute: it shows a greeting, buttons, a validated question, a condition and an ending.
 */

import type { ServiceContext } from "./services/context.ts";
import { publishDraft } from "./services/flow-actions.ts";
import { createDraftFlow } from "./services/flows.ts";

export const DEMO_FLOW_NAME = "Demo: meet Parley";
export const DEMO_FLOW_KEYWORDS = ["hi", "hello", "demo"];

/** The demo graph in seed 000's ReactFlow format, exactly as the builder saves a flow. */
export const DEMO_FLOW_GRAPH = {
  nodes: [
    node("start-1", "start", 250, 0, { label: "Say hi", keywords: DEMO_FLOW_KEYWORDS }),
    node("text-1", "text", 250, 120, {
      label: "Greeting",
      text: "Hi there! 👋 I'm Parley's demo bot. Everything I say comes from a flow you can open and change in the builder.",
    }),
    node("question-1", "question", 250, 260, {
      label: "Interest",
      type: "buttons",
      body: "What would you like to try first?",
      footer: "Tap a button",
      options: [
        { id: "opt-build", title: "Build a flow" },
        { id: "opt-api", title: "The REST API" },
        { id: "opt-look", title: "Just looking" },
      ],
      saveAnswerTo: "interest",
    }),
    node("question-input-1", "question_input", 250, 420, {
      label: "E-mail",
      question: "Where can I send a short getting-started guide? Type your e-mail address.",
      variableName: "email",
      validation: { type: "email" },
      errorMessage: "Hmm, that does not look like an e-mail address. Try again, e.g. ana@example.com.",
    }),
    node("condition-1", "condition", 250, 560, {
      label: "Wants to build?",
      rules: [{ field: "interest_id", operator: "equals", value: "opt-build" }],
    }),
    node("text-build", "text", 80, 700, {
      label: "Builder tips",
      text: "Great choice! Open Flows → New flow, add a Question node and press Test to chat with it right here. The guide is on its way to {{email}}.",
    }),
    node("text-other", "text", 420, 700, {
      label: "API tips",
      text: "Thanks! Whenever you are curious, the REST API is documented at /docs on this server. The guide is on its way to {{email}}.",
    }),
    node("action-1", "action", 250, 840, { label: "Done", actionType: "end" }),
  ],
  edges: [
    edge("e1", "start-1", "text-1"),
    edge("e2", "text-1", "question-1"),
    edge("e3", "question-1", "question-input-1", "option-opt-build"),
    edge("e4", "question-1", "question-input-1", "option-opt-api"),
    edge("e5", "question-1", "question-input-1", "option-opt-look"),
    edge("e6", "question-input-1", "condition-1"),
    edge("e7", "condition-1", "text-build", "true"),
    edge("e8", "condition-1", "text-other", "false"),
    edge("e9", "text-build", "action-1"),
    edge("e10", "text-other", "action-1"),
  ],
};

/**
 * Creates and publishes the demo flow in the organization (an organization-level flow, so every
 * channel of it answers "hi"). Returns the new flow's id.
 */
export async function createDemoFlow(ctx: ServiceContext, organizationId: string): Promise<string> {
  const flow = await createDraftFlow(ctx, organizationId, {
    name: DEMO_FLOW_NAME,
    description: 'Say "hi" in the simulator to try it. Edit it, or delete it once you have your own flows.',
    nodes: DEMO_FLOW_GRAPH.nodes,
    edges: DEMO_FLOW_GRAPH.edges,
  });
  const outcome = await publishDraft(ctx, organizationId, flow.id, null);
  if (!outcome.published) {
    const problems = JSON.stringify(outcome.validation);
    throw new Error(`the demo flow does not validate: ${problems}`);
  }
  return flow.id;
}

function node(id: string, type: string, x: number, y: number, data: Record<string, unknown>) {
  return { id, type, position: { x, y }, data };
}

function edge(id: string, source: string, target: string, sourceHandle?: string) {
  return sourceHandle ? { id, source, target, sourceHandle } : { id, source, target };
}
