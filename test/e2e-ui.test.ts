import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pino from "pino";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp, type ParleyApp } from "../src/server/app.ts";
import { loadConfig } from "../src/server/config.ts";
import { ensureUiBuilt, launchChromium, logIn, openWatchedPage, saveFailureShot } from "./support/browser.ts";

const ADMIN = { email: "author@example.com", password: "correct horse battery" };

let parley: ParleyApp;
let baseUrl: string;
let browser: Browser;
let dataDir: string;

beforeAll(async () => {
  ensureUiBuilt();
  dataDir = await mkdtemp(join(tmpdir(), "parley-ui-"));
  const config = loadConfig(
    {
      PARLEY_DATA_DIR: dataDir,
      PARLEY_ADMIN_EMAIL: ADMIN.email,
      PARLEY_ADMIN_PASSWORD: ADMIN.password,
      LOG_LEVEL: "error",
    },
    { cwd: dataDir },
  );
  parley = await createApp(config, { logger: pino({ level: "silent" }) });
  const address = await parley.app.listen({ port: 0, host: "127.0.0.1" });
  baseUrl = address;
  browser = await launchChromium();
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await parley?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/** Drops a palette item on the canvas and returns the new node's id (the inspector shows it). */
async function dropNode(page: Page, type: string, x: number, y: number): Promise<string> {
  await page.getByTestId(`palette-${type}`).dragTo(page.getByTestId("canvas"), { targetPosition: { x, y } });
  const id = await page.getByTestId("inspector").getAttribute("data-node-id");
  if (!id) throw new Error(`dropping ${type} selected no node`);
  return id;
}

async function connect(page: Page, from: string, to: string): Promise<void> {
  const before = await page.locator(".react-flow__edge").count();
  await page.getByTestId(from).dragTo(page.getByTestId(to));
  await expect.poll(() => page.locator(".react-flow__edge").count()).toBe(before + 1);
}

describe("the flow builder in Chromium", () => {
  it("builds, publishes and runs a flow, then shows the execution's path", async () => {
    const { page, problems } = await openWatchedPage(browser);
    try {
      await logIn(page, baseUrl, ADMIN);
      await expect.poll(() => page.getByTestId("org-name").textContent()).toBe("My organization");

      await page.getByTestId("flows-create").click();
      await page.getByTestId("create-flow-name").fill("Browser-built flow");
      await page.getByTestId("create-flow-submit").click();
      await page.getByTestId("canvas").waitFor();
      const editorUrl = page.url();

      // A new flow starts with a start node; replace it with one from the palette.
      await page.locator('.react-flow__node[data-id="start"]').click();
      await page.getByTestId("inspector-delete").click();
      await expect.poll(() => page.locator(".react-flow__node").count()).toBe(0);

      const start = await dropNode(page, "start", 200, 80);
      await page.getByTestId("keyword-add").click();
      await page.getByTestId("field-keyword-0").fill("hello");

      const greeting = await dropNode(page, "text", 200, 230);
      await page.getByTestId("field-text").fill("Welcome to the browser test");

      const question = await dropNode(page, "question", 200, 400);
      await page.getByTestId("field-body").fill("Which one?");
      await page.getByTestId("option-add").click();
      await page.getByTestId("field-option-title-2").fill("Maybe");

      const closing = await dropNode(page, "text", 560, 400);
      await page.getByTestId("field-text").fill("Thanks for choosing");

      await connect(page, `handle-${start}-default`, `handle-${greeting}-target`);
      await connect(page, `handle-${greeting}-default`, `handle-${question}-target`);
      const optionHandles = page.locator(`[data-testid^="handle-${question}-option-"]`);
      await expect.poll(() => optionHandles.count()).toBe(3);
      const firstOption = (await optionHandles.first().getAttribute("data-testid")) ?? "";
      const optionId = firstOption.replace(`handle-${question}-option-`, "");
      await connect(page, firstOption, `handle-${closing}-target`);

      await page.getByTestId("save-state").filter({ hasText: "Saved" }).waitFor({ timeout: 10_000 });
      await page.getByTestId("publish").click();
      await page.getByTestId("unpublish").waitFor({ timeout: 10_000 });

      await page.getByTestId("simulator-toggle").click();
      await page.getByTestId("simulator-restart").click();
      const botMessages = page.getByTestId("simulator-bot-message");
      await botMessages.filter({ hasText: "Welcome to the browser test" }).waitFor({ timeout: 15_000 });
      await page.getByTestId(`simulator-button-${optionId}`).click();
      await botMessages.filter({ hasText: "Thanks for choosing" }).waitFor({ timeout: 15_000 });

      await page.getByTestId("nav-executions").click();
      const rows = page.locator('[data-testid^="execution-row-"]');
      await rows.first().waitFor({ timeout: 10_000 });
      await rows.first().click();
      await page.getByTestId("execution-detail").waitFor();
      const path = page.locator('[data-testid="execution-canvas"] .flow-node.visited');
      await expect.poll(() => path.count(), { timeout: 10_000 }).toBe(4);

      // Back in the editor, the analytics overlay counts the one completed run.
      await page.goto(editorUrl);
      await page.getByTestId("canvas").waitFor();
      await expect(page.getByTestId("analytics-summary").count()).resolves.toBe(0);
      await page.getByTestId("analytics-toggle").click();
      const summary = page.getByTestId("analytics-summary");
      await expect
        .poll(() => summary.textContent(), { timeout: 10_000 })
        .toBe("1 execution · 100 % completion");
      await expect
        .poll(() => page.getByTestId(`analytics-node-${start}`).textContent())
        .toBe("1 visit·0 dropped (0 %)");
      await expect
        .poll(() => page.getByTestId(`analytics-node-${closing}`).textContent())
        .toBe("1 visit·0 dropped (0 %)");
      await page.getByTestId("analytics-toggle").click();
      await expect.poll(() => page.locator('[data-testid^="analytics-node-"]').count()).toBe(0);
      expect(problems).toEqual([]);
    } catch (error) {
      await saveFailureShot(page, "e2e-ui-failure");
      throw error;
    } finally {
      await page.close();
    }
  }, 180_000);
});
