/**
 * Compiles the server and CLI (src/, without the tests) into dist/server/ with esbuild, so `npm start`
 * and bin/parley.js run plain JavaScript: on Node 20, tsx's loader thread costs ~44 MB of RSS per process.
 * Does nothing when dist/server is newer than every input, and is safe to run several times at once.
 *
 *   node scripts/build-server.mjs [--force]
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, readdirSync, renameSync, rmSync, statSync, utimesSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const DIST = join(ROOT, "dist");
/** Where the compiled CLI goes; `node dist/server/main.js <command>` runs it. */
export const SERVER_DIR = join(DIST, "server");
export const SERVER_ENTRY = join(SERVER_DIR, "main.js");
/** Anything besides src/ that changes the output. */
const EXTRA_INPUTS = [join(ROOT, "src"), join(ROOT, "tsconfig.json"), fileURLToPath(import.meta.url)];
const TEMP_PREFIX = ".server-";
/**
 * Files of an earlier build (and temp dirs of an interrupted one) are removed once this old, not at
 * once: a process that read the previous main.js a moment ago may still be loading its chunks.
 */
const STALE_AFTER_MS = 60_000;

/**
 * Builds dist/server unless it is up to date; resolves to whether it built.
 * @example await ensureServerBuild(); const { main } = await import("../dist/server/main.js");
 */
export async function ensureServerBuild({ force = false } = {}) {
  if (!force && isUpToDate()) return false;
  await buildServer();
  return true;
}

function isUpToDate() {
  let built;
  try {
    built = statSync(SERVER_ENTRY).mtimeMs;
  } catch {
    return false;
  }
  return newestInput() < built;
}

function newestInput() {
  let newest = 0;
  for (const file of EXTRA_INPUTS) newest = Math.max(newest, statSync(file).mtimeMs);
  for (const entry of readdirSync(join(ROOT, "src"), { recursive: true, withFileTypes: true })) {
    if (entry.name.endsWith(".test.ts")) continue;
    // A new or removed file also changes its directory's mtime, so directories count too.
    newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

async function buildServer() {
  // Stamped on the output: a source saved while esbuild runs is newer, so the next run rebuilds.
  const startedAt = new Date();
  const temp = join(DIST, `${TEMP_PREFIX}${process.pid}-${randomBytes(4).toString("hex")}`);
  // Imported only here, so the up-to-date path (every start but the first) loads nothing of esbuild.
  const esbuild = await import("esbuild");
  try {
    await esbuild.build({
      entryPoints: {
        main: join(ROOT, "src", "cli", "main.ts"),
        // Started by channels/whatsapp/graph-thread.ts as a worker, from the file next to main.js.
        "graph-thread-worker": join(ROOT, "src", "channels", "whatsapp", "graph-thread-worker.ts"),
      },
      outdir: temp,
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      // npm packages stay imports resolved from node_modules at run time, as under tsx.
      packages: "external",
      // The dynamic import of runtime/scale-out.ts becomes its own chunk, so BullMQ and ioredis load
      // only with REDIS_URL, as they do under tsx.
      splitting: true,
      // Read by Node only with NODE_OPTIONS=--enable-source-maps, which maps stack traces to src/ but
      // holds the parsed map in memory (~2 MB, ~9 MB once a trace was mapped), so npm start leaves it off.
      sourcemap: true,
      // Stack traces need the positions, not the sources; without them the map is a third the size.
      sourcesContent: false,
      logLevel: "warning",
    });
    publish(temp, startedAt);
  } finally {
    rmSync(temp, { recursive: true, force: true });
    await esbuild.stop();
  }
}

/**
 * Moves the files of a finished build into dist/server one rename at a time, main.js last: a process
 * starting meanwhile sees the old main.js with its own chunks, or the new one with all of its chunks,
 * never a half-written file. Chunk names carry a hash of their content, so concurrent builds of the
 * same sources rename identical files over each other.
 */
function publish(temp, startedAt) {
  mkdirSync(SERVER_DIR, { recursive: true });
  const files = readdirSync(temp);
  const last = ["main.js.map", "main.js"];
  for (const file of [...files.filter((name) => !last.includes(name)), ...last]) {
    utimesSync(join(temp, file), startedAt, startedAt);
    renameSync(join(temp, file), join(SERVER_DIR, file));
  }
  removeStale(SERVER_DIR, (name) => !files.includes(name));
  removeStale(DIST, (name) => name.startsWith(TEMP_PREFIX));
}

function removeStale(dir, isCandidate) {
  const cutoff = Date.now() - STALE_AFTER_MS;
  for (const name of readdirSync(dir)) {
    if (!isCandidate(name)) continue;
    try {
      const path = join(dir, name);
      if (statSync(path).mtimeMs < cutoff) rmSync(path, { recursive: true, force: true });
    } catch {
      // Removed by a concurrent build already.
    }
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const started = performance.now();
  if (await ensureServerBuild({ force: process.argv.includes("--force") })) {
    console.error(`Compiled the server into dist/server in ${Math.round(performance.now() - started)} ms.`);
  }
}
