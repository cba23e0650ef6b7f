/**
 * `npm run bench:engine`: advances per second of the pure engine on a 10-node flow, one core.
 * Each conversation is three events (start, button reply, free-text answer); prints one JSON line.
 */
import { createInitialState, type EngineContext } from "../src/core/execution.ts";
import { advance } from "../src/engine/advance.ts";
import { compileFlow } from "../src/engine/compile.ts";

const graph = {
  nodes: [
    { id: "start", type: "start", position: { x: 0, y: 0 }, data: { keywords: ["hi"] } },
    { id: "greet", type: "text", position: { x: 0, y: 0 }, data: { text: "Hi {{contact.name}}!" } },
    {
      id: "topic",
      type: "question",
      position: { x: 0, y: 0 },
      data: {
        body: "Topic?",
        saveAnswerTo: "topic",
        options: [
          { id: "a", title: "Sales" },
          { id: "b", title: "Support" },
          { id: "c", title: "Other" },
        ],
      },
    },
    {
      id: "isSales",
      type: "condition",
      position: { x: 0, y: 0 },
      data: { rules: [{ field: "topic", operator: "equals", value: "sales" }] },
    },
    { id: "salesText", type: "text", position: { x: 0, y: 0 }, data: { text: "Sales it is." } },
    {
      id: "otherText",
      type: "text",
      position: { x: 0, y: 0 },
      data: { text: "We will help with {{topic}}." },
    },
    {
      id: "email",
      type: "question_input",
      position: { x: 0, y: 0 },
      data: { question: "Email?", variableName: "email", validation: { type: "email" } },
    },
    {
      id: "tag",
      type: "action",
      position: { x: 0, y: 0 },
      data: { actionType: "set_variable", variableName: "done", value: "{{email}}" },
    },
    {
      id: "bye",
      type: "text",
      position: { x: 0, y: 0 },
      data: { text: "Thanks, we will write to {{email}}." },
    },
    { id: "end", type: "action", position: { x: 0, y: 0 }, data: { actionType: "end" } },
  ],
  edges: [
    { id: "1", source: "start", target: "greet" },
    { id: "2", source: "greet", target: "topic" },
    { id: "3", source: "topic", target: "isSales" },
    { id: "4", source: "isSales", sourceHandle: "true", target: "salesText" },
    { id: "5", source: "isSales", sourceHandle: "false", target: "otherText" },
    { id: "6", source: "salesText", target: "email" },
    { id: "7", source: "otherText", target: "email" },
    { id: "8", source: "email", target: "tag" },
    { id: "9", source: "tag", target: "bye" },
    { id: "10", source: "bye", target: "end" },
  ],
};

const flow = compileFlow(graph);
let ids = 0;
const context: EngineContext = {
  now: Date.now(),
  newId: () => `t${++ids}`,
  contact: { id: "c1", name: "Ana", phone: "+34600111222" },
  flow: { id: "f1" },
};

function conversation(): number {
  let state = createInitialState();
  state = advance(flow, state, { type: "start", trigger: { kind: "keyword", text: "hi" } }, context).state;
  state = advance(flow, state, { type: "input", text: "Support", optionId: "b" }, context).state;
  state = advance(flow, state, { type: "input", text: "ana@example.com" }, context).state;
  if (state.status !== "completed") throw new Error(`unexpected status ${state.status}`);
  return 3;
}

function measure(ms: number): { advances: number; seconds: number } {
  const started = process.hrtime.bigint();
  const deadline = started + BigInt(ms) * 1_000_000n;
  let advances = 0;
  while (process.hrtime.bigint() < deadline) {
    for (let i = 0; i < 200; i += 1) advances += conversation();
  }
  return { advances, seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}

measure(1000); // warm-up: let the JIT settle
const runs = [measure(2000), measure(2000), measure(2000)];
const rates = runs.map((run) => run.advances / run.seconds).sort((a, b) => a - b);
console.log(
  JSON.stringify({
    bench: "engine",
    flow_nodes: graph.nodes.length,
    advances_per_s_median: Math.round(rates[1] ?? 0),
    advances_per_s_min: Math.round(rates[0] ?? 0),
    advances_per_s_max: Math.round(rates[2] ?? 0),
    target: 200000,
  }),
);
