/**
 * Serves the builder UI (web/dist) at `/`. When the build is missing, builds it once in the background
 * (`npm run build`) while `/` shows a page that says so, and a page saying how to fix it if that fails.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import fastifyStatic from "@fastify/static";
import type { FastifyBaseLogger, FastifyPluginAsync } from "fastify";

const REPO_ROOT = findPackageRoot(fileURLToPath(new URL(".", import.meta.url)));

/** Where `npm run build` puts the builder: web/dist of this checkout. */
export const DEFAULT_UI_DIR = join(REPO_ROOT, "web", "dist");

export interface StaticUiOptions {
  logger: FastifyBaseLogger;
  /** The built UI; default web/dist. */
  distDir?: string;
  /** Runs when index.html is missing; default `npm run build` in the repository. Empty = never build. */
  buildCommand?: readonly string[];
  cwd?: string;
}

export type UiState = "ready" | "building" | "failed";

export interface StaticUi {
  plugin: FastifyPluginAsync;
  state(): UiState;
  /** Resolves when no build is running (at once when none was needed). */
  settled(): Promise<void>;
  /** Stops a build still running. */
  close(): Promise<void>;
}

/**
 * Creates the UI plugin; the build, if one is needed, starts here, so it runs while the server starts.
 * @example const ui = createStaticUi({ logger }); await app.register(ui.plugin);
 */
export function createStaticUi(options: StaticUiOptions): StaticUi {
  const distDir = options.distDir ?? DEFAULT_UI_DIR;
  const indexFile = join(distDir, "index.html");
  const command = options.buildCommand ?? ["npm", "run", "build"];
  let state: UiState = existsSync(indexFile) ? "ready" : "building";
  let child: ChildProcess | undefined;
  let build: Promise<void> = Promise.resolve();

  if (state === "building") {
    if (command.length === 0) state = "failed";
    else {
      options.logger.info({ distDir }, `the web UI is not built yet; running \`${command.join(" ")}\``);
      build = new Promise<boolean>((done) => {
        child = runBuild(command, options.cwd ?? REPO_ROOT, options.logger, done);
      }).then((ok) => {
        child = undefined;
        state = ok && existsSync(indexFile) ? "ready" : "failed";
        if (state === "ready") options.logger.info({ distDir }, "the web UI is built");
        else options.logger.error({ distDir }, "the web UI could not be built; serving a placeholder at /");
      });
    }
  }

  const plugin: FastifyPluginAsync = async (app) => {
    await app.register(fastifyStatic, {
      root: distDir,
      prefix: "/",
      index: false,
      wildcard: true,
      decorateReply: false,
      suppressWarning: true,
    });
    // The UI routes with #hashes, so `/` is the only page; every other path is a file or a 404.
    app.get("/", { schema: { hide: true } }, async (_request, reply) => {
      reply.header("cache-control", "no-cache");
      if (state !== "ready") return reply.type("text/html; charset=utf-8").send(placeholderPage(state));
      return reply.type("text/html; charset=utf-8").send(await readFile(indexFile));
    });
  };

  return {
    plugin,
    state: () => state,
    settled: () => build,
    async close() {
      child?.kill("SIGTERM");
      await build;
    },
  };
}

/** The nearest folder holding package.json: the checkout, whether this runs from src/server or dist/server. */
function findPackageRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "package.json"))) return dir;
    if (dirname(dir) === dir) return start;
  }
}

function runBuild(
  command: readonly string[],
  cwd: string,
  logger: FastifyBaseLogger,
  done: (ok: boolean) => void,
): ChildProcess {
  const [file = "npm", ...args] = command;
  const child = spawn(file, args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
  for (const stream of [child.stdout, child.stderr]) {
    if (stream) createInterface({ input: stream }).on("line", (line) => logger.info({ build: "web" }, line));
  }
  child.on("error", (error) => {
    logger.error({ err: error }, "could not start the web UI build");
    done(false);
  });
  child.on("exit", (code) => done(code === 0));
  return child;
}

function placeholderPage(state: Exclude<UiState, "ready">): string {
  const body =
    state === "building"
      ? `<h1>Parley is building its web UI…</h1>
<p>This takes a minute on the first start. This page reloads itself.</p>`
      : `<h1>The Parley web UI is not available</h1>
<p>It is not built and could not be built here. Run <code>npm install</code> (with dev dependencies)
and <code>npm run build</code>, then restart Parley. The server's log says what went wrong.</p>`;
  const refresh = state === "building" ? '<meta http-equiv="refresh" content="3">' : "";
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Parley</title>${refresh}
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;color:#1f2937}</style>
</head><body>${body}
<p>The API is running: <a href="/api/health">/api/health</a>, reference at <a href="/docs">/docs</a>.</p>
</body></html>`;
}
