/**
 * Smoke check of the built builder (not part of `npm test`): serves web/dist on 127.0.0.1, opens it in
 * headless Chromium with the API mocked, fails on console errors, and writes screenshots.
 *
 *   npm run build && node --import tsx web/scripts/smoke.ts [outDir]
 */

import { mkdirSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { extname, join, normalize } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium, type Page, type Route } from "playwright-core";

const dist = fileURLToPath(new URL("../dist/", import.meta.url));
const outDir = process.argv[2] ?? "/tmp/parley-web-smoke";
mkdirSync(outDir, { recursive: true });

const TYPES: Record<string, string> = {
  ".html": "text/html",
  ".js": "text/javascript",
  ".css": "text/css",
  ".svg": "image/svg+xml",
  ".png": "image/png",
};

const server = createServer(async (req, res) => {
  const path = normalize(decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname)).replace(
    /^(\.\.[/\\])+/,
    "",
  );
  const file = join(dist, path.endsWith("/") ? "index.html" : path);
  try {
    const body = await readFile(file);
    res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
    res.end(body);
  } catch {
    res.writeHead(404).end("not found");
  }
});
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;

const flow = {
  id: "f1",
  name: "Support bot",
  description: "Greets and routes",
  is_active: true,
  is_published: false,
  trigger_keywords: ["hi"],
  updated_at: "2026-01-01T00:00:00.000Z",
  menus: [],
  nodes: [
    { id: "start", type: "start", position: { x: 0, y: 0 }, data: { keywords: ["hi", "hello"] } },
    {
      id: "ask",
      type: "question",
      position: { x: 300, y: 0 },
      data: {
        body: "Hi {{contact.name}}! What do you need?",
        options: [
          { id: "sales", title: "Sales" },
          { id: "support", title: "Support" },
          { id: "other", title: "Something else entirely, really long" },
        ],
        saveAnswerTo: "topic",
      },
    },
    {
      id: "sales_msg",
      type: "text",
      position: { x: 650, y: -120 },
      data: { text: "Our sales team will call you." },
    },
    {
      id: "check",
      type: "condition",
      position: { x: 650, y: 60 },
      data: { rules: [{ field: "contact.vip", operator: "equals", value: "yes" }], logic: "AND" },
    },
    {
      id: "email",
      type: "question_input",
      position: { x: 950, y: 60 },
      data: { question: "Your email?", variableName: "email", validation: { type: "email" } },
    },
    {
      id: "call",
      type: "action",
      position: { x: 950, y: 300 },
      data: { actionType: "http_request", method: "POST", url: "https://api.example.com/tickets" },
    },
    {
      id: "bye",
      type: "action",
      position: { x: 1250, y: 60 },
      data: { actionType: "end", message: "Thanks!" },
    },
  ],
  edges: [
    { id: "e1", source: "start", target: "ask" },
    { id: "e2", source: "ask", target: "sales_msg", sourceHandle: "option-sales" },
    { id: "e3", source: "ask", target: "check", sourceHandle: "option-support" },
    { id: "e4", source: "check", target: "email", sourceHandle: "true" },
    { id: "e5", source: "check", target: "call", sourceHandle: "false" },
    { id: "e6", source: "email", target: "bye" },
  ],
};

const summary = {
  id: "f1",
  name: flow.name,
  description: flow.description,
  is_active: true,
  is_published: true,
  node_count: 7,
  trigger_count: 1,
  execution_count: 12,
  updated_at: flow.updated_at,
  published_at: flow.updated_at,
};

const execution = {
  id: "x1234567",
  flow_id: "f1",
  contact_id: "c1",
  status: "waiting_for_input",
  current_node_id: "email",
  started_at: "2026-01-01T10:00:00.000Z",
  completed_at: null,
  visited_nodes: ["start", "ask", "check", "email"],
  variables: { topic: "Support" },
  duration_seconds: 4.2,
  logs: [
    {
      node_id: "start",
      node_type: "start",
      action: "enter",
      message: null,
      timestamp: "2026-01-01T10:00:00.000Z",
    },
    {
      node_id: "ask",
      node_type: "question",
      action: "send",
      output_data: { type: "buttons" },
      message: "Sent buttons",
      timestamp: "2026-01-01T10:00:01.000Z",
    },
    {
      node_id: "email",
      node_type: "question_input",
      action: "wait",
      message: "Waiting for input",
      timestamp: "2026-01-01T10:00:04.000Z",
    },
  ],
};

function simulatorMessages(after: string | null) {
  if (after)
    return {
      messages: [],
      execution: {
        id: "x1",
        status: "waiting_for_input",
        current_node_id: "ask",
        visited_nodes: ["start", "ask"],
        variables: { "contact.name": "Ana" },
      },
    };
  return {
    messages: [
      {
        id: "m1",
        at: "2026-01-01T10:00:00Z",
        message: { type: "text", text: "Welcome!" },
        rendered: { type: "text", text: "Welcome!", buttons: [] },
      },
      {
        id: "m2",
        at: "2026-01-01T10:00:01Z",
        message: { type: "buttons", body: "Hi Ana! What do you need?", buttons: [] },
        rendered: {
          type: "buttons",
          text: "Hi Ana! What do you need?",
          buttons: [
            { id: "sales", title: "Sales" },
            { id: "support", title: "Support" },
            { id: "other", title: "Something else enti…" },
          ],
        },
      },
    ],
    execution: {
      id: "x1",
      status: "waiting_for_input",
      current_node_id: "ask",
      visited_nodes: ["start", "ask"],
      variables: { "contact.name": "Ana" },
    },
  };
}

/** Answers the API calls the screens make; `signedIn: false` answers /me with 401. */
async function mockApi(page: Page, signedIn: boolean): Promise<void> {
  await page.route("**/api/**", async (route: Route) => {
    const url = new URL(route.request().url());
    const method = route.request().method();
    const json = (status: number, body: unknown) =>
      route.fulfill({ status, contentType: "application/json", body: JSON.stringify(body) });
    const path = url.pathname;
    if (path === "/api/auth/me")
      return signedIn
        ? json(200, { id: "u1", username: "ana" })
        : json(401, { error: "Not signed in", code: "UNAUTHENTICATED" });
    if (path === "/api/flows" && method === "GET")
      return json(200, { count: 1, next: null, previous: null, results: [summary] });
    if (path === "/api/flows/f1" && method === "GET") return json(200, flow);
    if (path === "/api/flows/f1" && method === "PUT")
      return json(200, { ...flow, updated_at: new Date().toISOString() });
    if (path === "/api/simulator/sessions" && method === "POST")
      return json(201, { session_id: "s1", contact_id: "c1" });
    if (path === "/api/simulator/sessions/s1/messages" && method === "POST") return json(202, {});
    if (path === "/api/simulator/sessions/s1/messages")
      return json(200, simulatorMessages(url.searchParams.get("after")));
    if (path === "/api/executions")
      return json(200, { count: 1, next: null, previous: null, results: [execution] });
    if (path === "/api/executions/x1234567") return json(200, execution);
    return json(404, { error: `No mock for ${method} ${path}`, code: "NOT_FOUND" });
  });
}

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
  args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
});
const problems: string[] = [];

async function openPage(signedIn: boolean, hash: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on("console", (message) => {
    // The mocked 401 on /api/auth/me is expected on the login page; the browser logs it as a failed load.
    if (message.type() === "error" && !(message.text().includes("401") && !signedIn))
      problems.push(`${hash}: ${message.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`${hash}: ${error.message}`));
  await mockApi(page, signedIn);
  await page.goto(`${base}${hash}`);
  return page;
}

/** The canvas must have zoomed out to show the whole fixture flow, not sit at the identity transform. */
async function expectFitted(page: Page, label: string): Promise<void> {
  const style = (await page.locator(".react-flow__viewport").getAttribute("style")) ?? "";
  const scale = Number(/scale\(([\d.]+)\)/.exec(style)?.[1] ?? "1");
  if (!(scale < 1)) problems.push(`${label}: the canvas was not fitted to the flow (${style})`);
}

try {
  const login = await openPage(false, "#/flows");
  await login.getByTestId("login-submit").waitFor();
  await login.screenshot({ path: join(outDir, "login.png") });

  const list = await openPage(true, "#/flows");
  await list.getByTestId("flow-row-f1").waitFor();
  await list.screenshot({ path: join(outDir, "flows.png") });

  const editor = await openPage(true, "#/flows/f1");
  await editor.locator('.react-flow__node[data-id="ask"]').waitFor();
  await editor.getByTestId("handle-ask-option-sales").waitFor();
  await editor.waitForTimeout(500);
  await expectFitted(editor, "editor");
  await editor.screenshot({ path: join(outDir, "editor-initial.png") });
  await editor.locator('.react-flow__node[data-id="ask"]').click();
  await editor.getByTestId("field-body").waitFor();
  await editor.getByTestId("palette-wait").click();
  await editor.getByTestId("field-duration").fill("5");
  await editor.getByTestId("save-state").filter({ hasText: "Saved" }).waitFor({ timeout: 5000 });
  await editor.keyboard.press("Control+z");
  const before = await editor.locator(".react-flow__node").count();
  await editor
    .getByTestId("palette-text")
    .dragTo(editor.getByTestId("canvas"), { targetPosition: { x: 200, y: 120 } });
  const after = await editor.locator(".react-flow__node").count();
  if (after !== before + 1) problems.push(`palette drag added ${after - before} nodes, expected 1`);
  const edgesBefore = await editor.locator(".react-flow__edge").count();
  await editor.getByTestId("handle-ask-option-other").dragTo(editor.getByTestId("handle-bye-target"));
  const edgesAfter = await editor.locator(".react-flow__edge").count();
  if (edgesAfter !== edgesBefore + 1)
    problems.push(`connecting handles added ${edgesAfter - edgesBefore} edges, expected 1`);
  await editor.screenshot({ path: join(outDir, "editor.png") });

  await editor.getByTestId("simulator-toggle").click();
  await editor.getByTestId("simulator-restart").click();
  await editor.getByTestId("simulator-button-support").waitFor();
  await editor.getByTestId("simulator-button-support").click();
  await editor.screenshot({ path: join(outDir, "simulator.png") });

  const detail = await openPage(true, "#/executions/x1234567");
  await detail.getByTestId("execution-timeline").waitFor();
  await detail.locator('.react-flow__node[data-id="email"]').waitFor();
  await detail.waitForTimeout(500);
  await expectFitted(detail, "execution");
  await detail.screenshot({ path: join(outDir, "execution.png") });
} catch (error) {
  problems.push(`interaction failed: ${error instanceof Error ? error.message : String(error)}`);
} finally {
  await browser.close();
  server.close();
}

if (problems.length > 0) {
  console.error(`Smoke check found ${problems.length} problem(s):\n${problems.join("\n")}`);
  process.exit(1);
}
console.log(`Smoke check passed; screenshots in ${outDir}`);
