/**
 * The flows the reliability suite and the end-to-end benchmarks publish through the API: an echo loop
 * (one reply per message, so loss, repeats and order are visible), a wait behind a closed 24 h window,
 * and the 3-turn conversation of the benchmarks.
 */

const node = (id: string, type: string, data: Record<string, unknown>) => ({
  id,
  type,
  position: { x: 0, y: 0 },
  data,
});
const edge = (source: string, target: string, sourceHandle?: string) => ({
  id: `${source}-${target}`,
  source,
  target,
  ...(sourceHandle ? { sourceHandle } : {}),
});

export const ECHO_PROMPT = "ready";
/** The echo flow's answer to `text`. */
export const echoOf = (text: string) => `echo:${text}`;

/** "go" starts it; then every message is answered with `echo:<text>` and the prompt again. */
export const echoFlow = {
  name: "Echo",
  nodes: [
    node("s", "start", { keywords: ["go"] }),
    node("q", "question_input", { question: ECHO_PROMPT, variableName: "said", validation: { type: "any" } }),
    node("t", "text", { text: echoOf("{{said}}") }),
  ],
  edges: [edge("s", "q"), edge("q", "t"), edge("t", "q")],
};

export const WINDOW_GREETING = "Hello, we will get back to you.";
export const WINDOW_FOLLOW_UP = "Are you still there?";
export const FALLBACK_TEMPLATE = { name: "reengage", language: "en_US", params: [] as string[] };

/** "hi" → a greeting → a durable wait of `waitSeconds` → a free-form follow-up (or the fallback template). */
export function windowFlow(waitSeconds: number) {
  return {
    name: "Window",
    nodes: [
      node("s", "start", { keywords: ["hi"] }),
      node("g", "text", { text: WINDOW_GREETING }),
      node("w", "wait", { duration: waitSeconds, unit: "seconds" }),
      node("f", "text", { text: WINDOW_FOLLOW_UP }),
    ],
    edges: [edge("s", "g"), edge("g", "w"), edge("w", "f")],
    settings: { fallbackTemplate: FALLBACK_TEMPLATE },
  };
}

/** bench/runtime.bench.ts's flow: greeting + 3 buttons, a free-text e-mail, a closing text. */
export const threeTurnFlow = {
  name: "3 turns",
  nodes: [
    node("s", "start", { keywords: ["hi"] }),
    node("g", "text", { text: "Hi {{contact.name}}!" }),
    node("q", "question", {
      body: "How can we help?",
      saveAnswerTo: "topic",
      options: [
        { id: "a", title: "Sales" },
        { id: "b", title: "Support" },
        { id: "c", title: "Other" },
      ],
    }),
    node("e", "question_input", {
      question: "Your email?",
      variableName: "email",
      validation: { type: "email" },
    }),
    node("t", "text", { text: "Thanks, we will write to {{email}}." }),
  ],
  edges: [edge("s", "g"), edge("g", "q"), edge("q", "e"), edge("e", "t")],
};

/** Whether a Graph `/messages` body ends a turn of threeTurnFlow: buttons, e-mail prompt, closing text. */
export function endsBenchTurn(body: object): boolean {
  if (!("type" in body)) return false;
  if (body.type === "interactive") return true;
  const text = "text" in body && typeof body.text === "object" && body.text !== null ? body.text : {};
  return (
    body.type === "text" && "body" in text && typeof text.body === "string" && !text.body.startsWith("Hi ")
  );
}
