import { describe, expect, it } from "vitest";
import { validateFlow } from "./validate-flow.ts";

type RawNode = { id: string; type: string; data?: Record<string, unknown> };
type RawEdge = { id?: string; source: string; target: string; sourceHandle?: string };

const node = (id: string, type: string, data: Record<string, unknown> = {}): RawNode => ({ id, type, data });
const start = (id = "start", keywords = ["hi"]) => node(id, "start", { keywords });
const text = (id: string, value = "Hello") => node(id, "text", { text: value });
const ask = (id: string, saveAnswerTo?: string) =>
  node(id, "question_input", {
    question: "Your name?",
    ...(saveAnswerTo ? { variableName: saveAnswerTo } : {}),
  });

/** Builds a graph; edges are `"a>b"` strings or full edge objects. */
function graph(nodes: RawNode[], edges: (string | RawEdge)[] = []) {
  return {
    nodes: nodes.map((n) => ({ position: { x: 0, y: 0 }, ...n })),
    edges: edges.map((edge, index) => {
      if (typeof edge !== "string") return { id: `e${index}`, ...edge };
      const [source = "", target = ""] = edge.split(">");
      return { id: `e${index}`, source, target };
    }),
  };
}

/** start → first node: the smallest flow where a single node's own checks can fire. */
const around = (...nodes: RawNode[]) =>
  graph(
    [start(), ...nodes],
    nodes.map((n, index) => `${index === 0 ? "start" : nodes[index - 1]?.id}>${n.id}`),
  );

const options = (count: number, title = (i: number) => `Option ${i}`) =>
  Array.from({ length: count }, (_, i) => ({ id: `o${i}`, title: title(i) }));

describe("validateFlow finds each problem", () => {
  it.each([
    {
      code: "INVALID_GRAPH",
      type: "error",
      nodeId: "q",
      input: around(node("q", "question", { body: "Pick", options: [{ id: "", title: "x" }] })),
    },
    { code: "INVALID_GRAPH", type: "error", nodeId: null, input: { nodes: "nope", edges: [] } },
    { code: "INVALID_GRAPH", type: "error", nodeId: "w", input: around(node("w", "wait", { duration: -5 })) },
    { code: "NO_START_NODE", type: "error", nodeId: null, input: graph([text("t")]) },
    {
      code: "START_NO_KEYWORDS",
      type: "error",
      nodeId: "start",
      input: graph([start("start", [" "]), text("t")], ["start>t"]),
    },
    { code: "START_NO_OUTGOING", type: "warning", nodeId: "start", input: graph([start()]) },
    {
      code: "NODE_NOT_CONNECTED",
      type: "warning",
      nodeId: "t2",
      input: graph([start(), text("t"), text("t2")], ["start>t"]),
    },
    { code: "TEXT_EMPTY", type: "error", nodeId: "t", input: around(text("t", "  ")) },
    {
      code: "QUESTION_NO_OPTIONS",
      type: "error",
      nodeId: "q",
      input: around(node("q", "question", { body: "Pick" })),
    },
    {
      code: "EDGE_SOURCE_MISSING",
      type: "error",
      nodeId: null,
      input: graph([start(), text("t")], ["start>t", "ghost>t"]),
    },
    {
      code: "EDGE_TARGET_MISSING",
      type: "error",
      nodeId: "t",
      input: graph([start(), text("t")], ["start>t", "t>ghost"]),
    },
    {
      code: "DUPLICATE_NODE_ID",
      type: "error",
      nodeId: "t",
      input: graph([start(), text("t"), text("t")], ["start>t"]),
    },
    {
      code: "DUPLICATE_EDGE_ID",
      type: "error",
      nodeId: null,
      input: graph(
        [start(), text("t"), text("u")],
        [
          { id: "e", source: "start", target: "t" },
          { id: "e", source: "t", target: "u" },
        ],
      ),
    },
    {
      code: "DUPLICATE_KEYWORD",
      type: "error",
      nodeId: "s2",
      input: graph([start("s1", ["Hi", "menu"]), start("s2", [" hi "]), text("t")], ["s1>t", "s2>t"]),
    },
    { code: "UNKNOWN_NODE_TYPE", type: "error", nodeId: "x", input: around(node("x", "teleport")) },
    {
      code: "DUPLICATE_OPTION_ID",
      type: "error",
      nodeId: "q",
      input: around(
        node("q", "question", {
          body: "Pick",
          options: [
            { id: "a", title: "A" },
            { id: "a", title: "B" },
          ],
        }),
      ),
    },
    {
      code: "QUESTION_PAGED",
      type: "warning",
      nodeId: "q",
      input: around(node("q", "question", { body: "Pick", options: options(11) })),
    },
    {
      code: "OPTION_TITLE_TOO_LONG",
      type: "warning",
      nodeId: "q",
      input: around(node("q", "question", { body: "Pick", options: options(2, () => "A".repeat(21)) })),
    },
    {
      code: "OPTION_TITLE_TOO_LONG",
      type: "warning",
      nodeId: "q",
      input: around(node("q", "question", { body: "Pick", options: options(5, () => "A".repeat(25)) })),
    },
    {
      code: "UNKNOWN_OPERATOR",
      type: "error",
      nodeId: "c",
      input: around(
        ask("a", "age"),
        node("c", "condition", { rules: [{ field: "age", operator: "bigger", value: 1 }] }),
      ),
    },
    {
      code: "INVALID_REGEX",
      type: "error",
      nodeId: "c",
      input: around(
        ask("a", "age"),
        node("c", "condition", { rules: [{ field: "age", operator: "matches_regex", value: "([" }] }),
      ),
    },
    {
      code: "INVALID_REGEX",
      type: "error",
      nodeId: "a",
      input: around(
        node("a", "question_input", { question: "Code?", validation: { type: "text", pattern: "a{2,1}" } }),
      ),
    },
    {
      code: "INVALID_REGEX",
      type: "error",
      nodeId: "a",
      input: around(node("a", "question_input", { question: "Code?", validation: { type: "regex" } })),
    },
    {
      code: "INVALID_REGEX",
      type: "error",
      nodeId: "u",
      input: around(
        node("u", "user_input_flow", {
          questions: [{ id: "q1", text: "Zip?", validation: { type: "regex", pattern: "(" } }],
        }),
      ),
    },
    {
      code: "INVALID_EXPRESSION",
      type: "error",
      nodeId: "c",
      input: around(ask("a", "age"), node("c", "condition", { expression: "age >= " })),
    },
    {
      code: "UNREACHABLE_NODE",
      type: "warning",
      nodeId: "t2",
      input: graph([start(), text("t"), text("t2"), text("t3")], ["start>t", "t2>t3", "t3>t2"]),
    },
    {
      code: "LOOP_WITHOUT_WAIT",
      type: "error",
      nodeId: "t",
      input: graph([start(), text("t"), text("u")], ["start>t", "t>u", "u>t"]),
    },
    {
      code: "LOOP_WITHOUT_WAIT",
      type: "error",
      nodeId: "t",
      input: graph([start(), text("t")], ["start>t", "t>t"]),
    },
    {
      code: "LOOP_WITHOUT_WAIT",
      type: "error",
      nodeId: "j",
      input: around(node("j", "action", { actionType: "jump", targetNodeId: "j" })),
    },
    { code: "UNDEFINED_VARIABLE", type: "warning", nodeId: "t", input: around(text("t", "Hi {{name}}")) },
    {
      code: "UNDEFINED_VARIABLE",
      type: "warning",
      nodeId: "t",
      input: graph([start(), text("t", "Hi {{name}}"), ask("a", "name")], ["start>t", "t>a"]),
    },
    {
      code: "UNDEFINED_VARIABLE",
      type: "warning",
      nodeId: "c",
      input: around(node("c", "condition", { expression: "age > 18" })),
    },
    {
      code: "UNDEFINED_VARIABLE",
      type: "warning",
      nodeId: "c",
      input: around(node("c", "condition", { rules: [{ field: "age", operator: "exists" }] })),
    },
    {
      code: "HTTP_URL_INVALID",
      type: "error",
      nodeId: "h",
      input: around(node("h", "action", { actionType: "http_request" })),
    },
    {
      code: "HTTP_URL_INVALID",
      type: "error",
      nodeId: "h",
      input: around(node("h", "action", { actionType: "http_request", url: "ftp://example.com/file" })),
    },
    {
      code: "HTTP_URL_INVALID",
      type: "error",
      nodeId: "h",
      input: around(node("h", "action", { actionType: "http_request", url: "javascript:alert(1)" })),
    },
    {
      code: "MEDIA_URL_MISSING",
      type: "error",
      nodeId: "m",
      input: around(node("m", "media", { mediaType: "image" })),
    },
    {
      code: "TEMPLATE_NAME_MISSING",
      type: "error",
      nodeId: "tp",
      input: around(node("tp", "template", { language: "es" })),
    },
    {
      code: "QUESTION_INPUT_EMPTY",
      type: "error",
      nodeId: "a",
      input: around(node("a", "question_input", { question: "" })),
    },
    {
      code: "JUMP_TARGET_MISSING",
      type: "error",
      nodeId: "j",
      input: around(node("j", "action", { actionType: "jump" })),
    },
    {
      code: "JUMP_TARGET_MISSING",
      type: "error",
      nodeId: "j",
      input: around(node("j", "action", { actionType: "jump", targetNodeId: "nowhere" })),
    },
  ])("$code ($type) on $nodeId", ({ code, type, nodeId, input }) => {
    const result = validateFlow(input);
    const issues = [...result.errors, ...result.warnings];
    expect(issues).toContainEqual(expect.objectContaining({ code, type, nodeId }));
    expect(result.valid).toBe(result.errors.length === 0);
    expect(result.errorCount).toBe(result.errors.length);
    expect(result.warningCount).toBe(result.warnings.length);
  });
});

describe("validateFlow accepts", () => {
  it.each([
    { name: "a plain text chain", input: around(text("t"), text("u")) },
    { name: "a variable set upstream", input: around(ask("a", "name"), text("t", "Hi {{ name }}")) },
    {
      name: "reserved variables",
      input: around(
        text("t", "{{contact.name}} {{flow.id}} {{trigger.text}} {{lastMessage}} {{lastMedia.url}}"),
      ),
    },
    {
      name: "a loop through a waiting node",
      input: graph([start(), ask("a", "name"), text("t", "Again, {{name}}?")], ["start>a", "a>t", "t>a"]),
    },
    {
      name: "a loop through a template with buttons",
      input: graph(
        [start(), node("tp", "template", { templateName: "promo", buttons: ["Yes"] }), text("t")],
        ["start>tp", "tp>t", "t>tp"],
      ),
    },
    {
      name: "a node reached only by a jump",
      input: graph(
        [start(), ask("a", "name"), node("j", "action", { actionType: "jump", targetNodeId: "a" })],
        ["start>j"],
      ),
    },
    {
      name: "a jump to another flow",
      input: around(node("j", "action", { actionType: "jump", targetFlowId: "f2", targetNodeId: "x" })),
    },
    {
      name: "an http url built from a variable, then its mapped response",
      input: around(
        node("h", "action", {
          actionType: "http_request",
          url: "{{contact.apiBase}}/orders",
          responseMapping: { order: "$.data" },
          saveResponseTo: "response",
        }),
        text("t", "Total {{order.total}} ({{response.status}})"),
      ),
    },
    {
      name: "questionnaire answers",
      input: around(
        node("u", "user_input_flow", {
          questions: [{ id: "email", text: "Email?", validation: { type: "email" } }],
        }),
        text("t", "Thanks, {{answers.email}} / {{answers}}"),
      ),
    },
    {
      name: "a question's saved option and its id",
      input: around(
        node("q", "question", { body: "Pick", options: options(2), saveAnswerTo: "choice" }),
        node("c", "condition", { expression: "choice_id == o1 or choice in [a, b]" }),
      ),
    },
    {
      name: "a set_variable used by a condition rule",
      input: around(
        node("s", "action", { actionType: "set_variable", variableName: "tier", value: "gold" }),
        node("c", "condition", {
          rules: [{ field: "tier", operator: "in", value: "gold, silver" }],
          logic: "or",
        }),
      ),
    },
    {
      name: "option titles at the limits",
      input: around(
        node("q", "question", { body: "Pick", options: options(3, () => "B".repeat(20)) }),
        node("l", "question", { body: "Pick", type: "list", options: options(10, () => "L".repeat(24)) }),
      ),
    },
  ])("$name with no errors and no warnings", ({ input }) => {
    const result = validateFlow(input);
    expect([...result.errors, ...result.warnings]).toEqual([]);
    expect(result.valid).toBe(true);
  });
});

describe("validateFlow structure", () => {
  it("returns only INVALID_GRAPH issues when the top level does not parse", () => {
    const result = validateFlow({ nodes: [{ id: "a", type: "text", data: { text: "" } }], edges: "x" });
    expect(result.errors).toEqual([expect.objectContaining({ code: "INVALID_GRAPH", nodeId: null })]);
    expect(result.errors[0]?.message).toContain("edges");
    expect(result.warnings).toEqual([]);
  });

  it("keeps checking the rest of the graph when one node's data is bad", () => {
    const input = graph(
      [start(), node("m", "media", { mediaType: "hologram" }), text("t", "")],
      ["start>m", "m>t"],
    );
    const codes = validateFlow(input).errors.map((issue) => issue.code);
    expect(codes).toEqual(["INVALID_GRAPH", "TEXT_EMPTY"]);
    expect(validateFlow(input).errors[0]?.message).toContain("nodes[1].data.mediaType");
  });

  it("names every node of a loop and skips nodes already reported as not connected", () => {
    const input = graph(
      [start(), text("a"), node("b", "condition", {}), text("c"), text("d")],
      ["start>a", "a>b", "b>a", "c>c"],
    );
    const result = validateFlow(input);
    const loops = result.errors.filter((issue) => issue.code === "LOOP_WITHOUT_WAIT");
    expect(loops.map((issue) => issue.nodeId)).toEqual(["a", "c"]);
    expect(loops[0]?.message).toContain('"a", "b"');
    expect(result.warnings.map((issue) => `${issue.code}:${issue.nodeId}`)).toEqual([
      "NODE_NOT_CONNECTED:d",
      "UNREACHABLE_NODE:c",
    ]);
  });

  it("handles a 20,000-node chain without overflowing the stack", () => {
    const nodes = [start(), ...Array.from({ length: 20_000 }, (_, i) => text(`t${i}`))];
    const edges = ["start>t0", ...Array.from({ length: 19_999 }, (_, i) => `t${i}>t${i + 1}`), "t19999>t0"];
    const result = validateFlow(graph(nodes, edges));
    expect(result.errors.map((issue) => issue.code)).toEqual(["LOOP_WITHOUT_WAIT"]);
  });
});

describe("seed 000 builder format", () => {
  const reactFlowExtras = {
    measured: { width: 220, height: 90 },
    selected: false,
    dragging: false,
    style: { border: "1px" },
  };
  const builderNode = (id: string, type: string, x: number, data: Record<string, unknown>) => ({
    id,
    type,
    position: { x, y: 100 },
    positionAbsolute: { x, y: 100 },
    width: 220,
    height: 90,
    ...reactFlowExtras,
    data: { label: type, ...data },
  });
  const builderEdge = (source: string, target: string, sourceHandle: string | null = null) => ({
    id: `reactflow__edge-${source}${sourceHandle ?? ""}-${target}`,
    source,
    target,
    sourceHandle,
    targetHandle: null,
    type: "smoothstep",
    animated: true,
    style: { stroke: "#25D366" },
    markerEnd: { type: "arrowclosed" },
  });
  const flow = {
    nodes: [
      builderNode("start-1", "start", 0, { keywords: ["Hola", "menu"] }),
      builderNode("text-1", "text", 250, { text: "Welcome, {{contact.name}}!" }),
      builderNode("question-1", "question", 500, {
        type: "buttons",
        body: "What do you need?",
        header: "Menu",
        footer: "Pick one",
        buttonText: "View options",
        saveAnswerTo: "topic",
        options: [
          { id: "opt-1", title: "Sales", description: "Buy something" },
          { id: "opt-2", title: "Support" },
        ],
      }),
      builderNode("condition-1", "condition", 750, {
        rules: [{ field: "topic", operator: "equals", value: "Sales" }],
        logic: "AND",
      }),
      builderNode("input-1", "question_input", 1000, {
        question: "Your email, {{contact.name}}?",
        variableName: "email",
      }),
      builderNode("media-1", "media", 1250, {
        mediaType: "document",
        mediaUrl: "https://example.com/catalog.pdf",
        caption: "Catalog for {{email}}",
        filename: "catalog.pdf",
      }),
      builderNode("action-1", "action", 1500, { actionType: "end" }),
    ],
    edges: [
      builderEdge("start-1", "text-1"),
      builderEdge("text-1", "question-1"),
      builderEdge("question-1", "condition-1", "option-opt-1"),
      builderEdge("question-1", "condition-1", "option-opt-2"),
      builderEdge("condition-1", "input-1", "true"),
      builderEdge("condition-1", "action-1", "false"),
      builderEdge("input-1", "media-1"),
      builderEdge("media-1", "action-1"),
    ],
    menus: [],
  };

  it("validates clean", () => {
    expect(validateFlow(flow)).toEqual({
      valid: true,
      errors: [],
      warnings: [],
      errorCount: 0,
      warningCount: 0,
    });
  });
});
