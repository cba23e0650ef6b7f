/**
 * What the Chromium tests share: the built UI, a headless Chromium, a page that records every
 * problem the browser reports, and the log-in form.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join, resolve } from "node:path";
import { type Browser, chromium, type Page } from "playwright-core";

const ROOT = resolve(import.meta.dirname, "../..");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Builds web/dist when a test run starts without it (`npm test` builds it first). */
export function ensureUiBuilt(): void {
  if (existsSync(join(ROOT, "web/dist/index.html"))) return;
  const build = spawnSync("npm", ["run", "build"], { cwd: ROOT, stdio: "inherit" });
  if (build.status !== 0) throw new Error("npm run build failed");
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
  });
}

/**
 * A new page whose errors, failed requests (but 401s) and console errors or warnings collect in
 * `problems`, for a test to assert it stayed empty.
 */
export async function openWatchedPage(browser: Browser): Promise<{ page: Page; problems: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const problems: string[] = [];
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("response", (response) => {
    if (response.status() >= 400 && response.status() !== 401) {
      problems.push(`${response.status()} ${response.request().method()} ${response.url()}`);
    }
  });
  page.on("console", (message) => {
    // Before logging in, the session check answers 401 by design; everything else is a problem.
    if (message.type() === "error" && !message.text().includes("401")) problems.push(message.text());
    if (message.type() === "warning") problems.push(`warning: ${message.text()}`);
  });
  return { page, problems };
}

/** Opens the app at `baseUrl` and logs in through the form. */
export async function logIn(
  page: Page,
  baseUrl: string,
  user: { email: string; password: string },
): Promise<void> {
  await page.goto(baseUrl);
  await page.getByTestId("login-username").fill(user.email);
  await page.getByTestId("login-password").fill(user.password);
  await page.getByTestId("login-submit").click();
}

/** Saves a full-page screenshot under test-results/ (after a failure, to see what the page showed). */
export async function saveFailureShot(page: Page, name: string): Promise<void> {
  await mkdir(join(ROOT, "test-results"), { recursive: true });
  await page.screenshot({ path: join(ROOT, "test-results", `${name}.png`), fullPage: true });
}
